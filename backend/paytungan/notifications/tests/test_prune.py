"""The delivery log is pruned past its idempotency horizon, and never before: no event whose row
is gone can be sent again."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from paytungan.accounts.models import User
from paytungan.notifications import outbox
from paytungan.notifications.jobs import send_reminders
from paytungan.notifications.models import Delivery, DeliveryStatus, Kind, OwedSince
from paytungan.notifications.tests.conftest import NOW, pending_payment
from paytungan.payments.models import PaymentStatus

DAY = datetime.timedelta(days=1)


def delivery(key: str, kind: str, user: User, *, at: datetime.datetime, group: Any = None) -> str:
    Delivery.objects.create(
        key=key,
        kind=kind,
        user=user,
        group=group,
        status=DeliveryStatus.SENT,
        created_at=at,
        claimed_at=at,
        sent_at=at,
    )
    return key


def kept() -> set[str]:
    return set(Delivery.objects.values_list("key", flat=True))


def test_pending_payment_rows_go_once_their_payment_cannot_be_selected(trip, ayu, budi):
    group, m = trip
    old = pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 32 * DAY)
    old.status = PaymentStatus.CONFIRMED
    old.save()
    recent = pending_payment(group, frm=m[budi], to=m[ayu], amount=2000, at=NOW - 10 * DAY)
    gone = delivery(f"pending_payment:{old.pk}", Kind.PENDING_PAYMENT, ayu, at=NOW - 31 * DAY)
    young = delivery(f"pending_payment:{recent.pk}", Kind.PENDING_PAYMENT, ayu, at=NOW - 9 * DAY)
    assert outbox.prune(now=NOW) == 1
    assert kept() == {young}
    assert gone not in kept()


def test_a_row_whose_payment_became_selectable_again_is_kept(trip, ayu, budi):
    group, m = trip
    # Reminded 31 days ago, one day after the payment; since then the delay went up to 3 days,
    # which brings the payment (still pending, 32 days old) back inside the job's window.
    payment = pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 32 * DAY)
    key = delivery(f"pending_payment:{payment.pk}", Kind.PENDING_PAYMENT, ayu, at=NOW - 31 * DAY)
    with override_settings(PENDING_PAYMENT_REMINDER_HOURS=72):
        assert outbox.prune(now=NOW) == 0
        assert kept() == {key}
        send_reminders(now=NOW)
    assert mail.outbox == []  # the kept row still says "reminded already"


def test_after_pruning_nothing_is_sent_again(trip, ayu, budi):
    group, m = trip
    payment = pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 40 * DAY)
    delivery(f"pending_payment:{payment.pk}", Kind.PENDING_PAYMENT, ayu, at=NOW - 39 * DAY)
    assert outbox.prune(now=NOW) == 1
    send_reminders(now=NOW)
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_digest_rows_go_after_two_weeks(ayu):
    old = delivery("digest:1:2026-W46", Kind.DIGEST, ayu, at=NOW - 15 * DAY)
    young = delivery("digest:1:2026-W47", Kind.DIGEST, ayu, at=NOW - 8 * DAY)
    assert outbox.prune(now=NOW) == 1
    assert kept() == {young}
    assert old not in kept()


def test_balance_rows_go_after_90_days_unless_their_debt_still_runs(trip, ayu, budi):
    group, m = trip
    settled = delivery("balance:a:1:1", Kind.BALANCE, budi, at=NOW - 91 * DAY, group=group)
    young = delivery("balance:a:2:1", Kind.BALANCE, budi, at=NOW - 89 * DAY, group=group)
    assert outbox.prune(now=NOW) == 1
    assert kept() == {young}
    assert settled not in kept()
    # A debt running since before the row: its key can come round again, so the row stays.
    OwedSince.objects.create(member=m[budi], since=NOW - 120 * DAY)
    running = delivery("balance:b:3:1", Kind.BALANCE, budi, at=NOW - 100 * DAY, group=group)
    assert outbox.prune(now=NOW) == 0
    assert running in kept()
    # A debt that began after the row is another debt (another key): the old row can go.
    OwedSince.objects.filter(member=m[budi]).update(since=NOW - 95 * DAY)
    assert outbox.prune(now=NOW) == 1
    assert running not in kept()


def test_the_prune_command_says_how_many_it_deleted(ayu):
    delivery("digest:1:2020-W01", Kind.DIGEST, ayu, at=timezone.now() - 30 * DAY)
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "notification_deliveries: 1 deleted" in out.getvalue()
    assert not Delivery.objects.exists()
