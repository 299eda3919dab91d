"""SMTP failures are recorded and retried with a bound; a crash mid-send never leads to a second
email; two runs at once send each email once."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from paytungan.common.testing import make_user, run_together
from paytungan.groups.testing import make_group
from paytungan.notifications import outbox
from paytungan.notifications.jobs import send_reminders
from paytungan.notifications.models import Delivery, DeliveryStatus, NotificationPreferences
from paytungan.notifications.tests.conftest import NOW, pending_payment

HOUR = datetime.timedelta(hours=1)


class Outage(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_smtp_failure_is_recorded_and_retried_on_a_later_run(trip, ayu, budi, settings):
    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    settings.EMAIL_BACKEND = f"{__name__}.Outage"

    send_reminders(now=NOW)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.next_attempt_at == NOW + datetime.timedelta(minutes=10)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders(now=NOW + datetime.timedelta(minutes=5))  # not due yet
    assert mail.outbox == []
    counts = send_reminders(now=NOW + datetime.timedelta(minutes=11))
    assert counts["pending_payment.sent"] == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(mail.outbox) == 1
    send_reminders(now=NOW + 5 * HOUR)
    assert len(mail.outbox) == 1


def test_an_smtp_outage_stops_the_run_after_three_failures_in_a_row(trip, ayu, budi, settings):
    group, m = trip
    for i in range(5):
        pending_payment(group, frm=m[budi], to=m[ayu], amount=1000 + i, at=NOW - 25 * HOUR)
    settings.EMAIL_BACKEND = f"{__name__}.Outage"
    counts = send_reminders(now=NOW)
    assert counts["pending_payment.failed"] == 3
    assert counts["stopped_on_smtp_errors"] == 1
    assert Delivery.objects.count() == 3  # the other two are not claimed: the next run has them
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders(now=NOW + HOUR)
    assert len(mail.outbox) == 5


def test_retries_stop_after_the_maximum_attempts(trip, ayu, budi, settings):
    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    settings.EMAIL_BACKEND = f"{__name__}.Outage"
    for hours in range(0, 48, 2):
        send_reminders(now=NOW + hours * HOUR)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == 3  # NOTIFICATION_MAX_ATTEMPTS in these tests


def test_a_retry_is_dropped_when_the_user_unsubscribed_meanwhile(trip, ayu, budi, settings):
    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    settings.EMAIL_BACKEND = f"{__name__}.Outage"
    send_reminders(now=NOW)
    NotificationPreferences.objects.create(user=ayu, pending_payments=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders(now=NOW + HOUR)
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED


def test_a_run_that_died_while_sending_is_never_resent(trip, ayu, budi):
    """The crash window: SMTP may have accepted the email, the `sent` commit never happened.
    The claim row is there (committed before sending), so nothing is sent again: at most once."""
    group, m = trip
    payment = pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    Delivery.objects.create(
        key=f"pending_payment:{payment.pk}",
        kind="pending_payment",
        user=ayu,
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=NOW,
    )
    send_reminders(now=NOW + datetime.timedelta(minutes=5))  # maybe still sending: left alone
    assert Delivery.objects.get().status == DeliveryStatus.SENDING
    send_reminders(now=NOW + outbox.SENDING_LEASE + HOUR)
    assert Delivery.objects.get().status == DeliveryStatus.INTERRUPTED
    send_reminders(now=NOW + 10 * HOUR)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_every_email_once():
    ayu = make_user(name="Ayu", email="ayu@example.com", locale="id")
    budi = make_user(name="Budi", email="budi@example.com", locale="id")
    group, m = make_group(owner=ayu, users=(budi,))
    for i in range(5):
        pending_payment(group, frm=m[budi], to=m[ayu], amount=1000 + i, at=NOW - 25 * HOUR)
    NotificationPreferences.objects.create(user=budi, weekly_digest=True)
    pending_payment(
        group,
        frm=m[ayu],
        to=m[budi],
        amount=7000,
        at=datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC),
    )

    results = run_together([lambda: send_reminders(now=NOW) for _ in range(3)])

    assert not any(isinstance(r, BaseException) for r in results), results
    reminders = [e for e in mail.outbox if e.to == ["ayu@example.com"]]
    digests = [e for e in mail.outbox if e.to == ["budi@example.com"] and "Ringkasan" in e.subject]
    assert len(reminders) == 5
    assert len({e.subject for e in reminders}) == 5
    assert len(digests) == 1
    # Budi also has the week's payment to confirm: 6 reminders and one digest, each sent once.
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 7
    assert len(mail.outbox) == 7
    assert sum(r.get("pending_payment.sent", 0) for r in results) == 6


@pytest.mark.django_db(transaction=True)
def test_two_runs_retrying_at_once_resend_a_failed_email_once(settings):
    ayu = make_user(name="Ayu", email="ayu@example.com", locale="id")
    budi = make_user(name="Budi", email="budi@example.com", locale="id")
    group, m = make_group(owner=ayu, users=(budi,))
    for i in range(3):
        pending_payment(group, frm=m[budi], to=m[ayu], amount=1000 + i, at=NOW - 25 * HOUR)
    settings.EMAIL_BACKEND = f"{__name__}.Outage"
    send_reminders(now=NOW)
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    run_together([lambda: send_reminders(now=NOW + HOUR) for _ in range(2)])

    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 2)}
