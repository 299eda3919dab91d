"""`manage.py send_reminders`: one run of the reminder job (Cloud Scheduler, hourly).

Order: leftovers first (rows of a dead run become `interrupted`, due retries are resent), then
pending payments, balances owed, and the weekly digest, at most NOTIFICATION_BATCH emails in all.
Every email is claimed in the delivery log before it is sent (outbox.py), so running this twice
at once, or again after a crash, never sends an email twice.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.utils import timezone

from paytungan.notifications import messages, outbox, selectors
from paytungan.notifications.messages import Recipient
from paytungan.notifications.models import Delivery, Kind

logger = logging.getLogger(__name__)

# After this many SMTP failures in a row the run stops: the server is down, and each attempt can
# take EMAIL_TIMEOUT. What was not claimed yet waits for the next run; nothing is lost.
FAILURES_BEFORE_STOP = 3


def _recipient(user: Any) -> Recipient:
    return Recipient(user_id=user.pk, email=user.email, name=user.name, locale=user.locale)


def wants(user_id: int, kind: str) -> bool:
    """Still opted in (checked again before a retry: the user may have unsubscribed since)."""
    prefs = selectors.preferences_of(
        selectors.NotificationPreferences.objects.filter(user_id=user_id).first()
    )
    return {
        Kind.PENDING_PAYMENT: prefs.pending_payments,
        Kind.BALANCE: prefs.balance_reminders,
        Kind.DIGEST: prefs.weekly_digest,
    }[Kind(kind)]


class Run:
    def __init__(self, *, now: datetime.datetime) -> None:
        self.now = now
        self.budget = settings.NOTIFICATION_BATCH
        self.counts: Counter[str] = Counter()
        self.connection = get_connection()
        self.failures_in_a_row = 0

    def _send(self, delivery: Delivery) -> None:
        self.budget -= 1
        ok = outbox.send(delivery, connection=self.connection, now=self.now)
        self.counts[f"{delivery.kind}.{'sent' if ok else 'failed'}"] += 1
        self.failures_in_a_row = 0 if ok else self.failures_in_a_row + 1
        if self.failures_in_a_row >= FAILURES_BEFORE_STOP:
            logger.error("SMTP keeps failing: send_reminders stops until its next run")
            self.counts["stopped_on_smtp_errors"] = 1
            self.budget = 0

    def _claim_and_send(
        self,
        *,
        key: str,
        kind: str,
        user: Any,
        group_id: int | None,
        rendered: messages.Rendered | None,
    ) -> None:
        delivery = outbox.claim(
            key=key,
            kind=kind,
            user_id=user.pk,
            group_id=group_id,
            to_email=user.email,
            rendered=rendered,
            now=self.now,
        )
        if delivery is None:
            self.counts[f"{kind}.taken"] += 1  # another run has it, or an earlier one sent it
        elif rendered is None:
            self.counts[f"{kind}.skipped"] += 1
        else:
            self._send(delivery)

    def leftovers(self) -> None:
        interrupted = outbox.mark_interrupted(now=self.now)
        if interrupted:
            self.counts["interrupted"] += interrupted
            logger.warning(
                "notification emails interrupted while sending: not resent",
                extra={"count": interrupted},
            )
        while self.budget > 0:
            delivery = outbox.claim_retry(now=self.now)
            if delivery is None:
                return
            if not wants(delivery.user_id, delivery.kind):
                outbox.skip(delivery, reason="opted out before the retry")
                continue
            self._send(delivery)

    def pending_payments(self) -> None:
        for payment in selectors.pending_payments_due(now=self.now, limit=max(self.budget, 0)):
            if self.budget <= 0:
                return
            user = payment.to_member.user
            assert user is not None
            rendered = messages.pending_payment(
                to=_recipient(user),
                payer=payment.from_member.name,
                amount=payment.amount,
                currency=payment.currency,
                group_id=payment.group_id,
                group=payment.group.name,
                recorded_on=timezone.localtime(payment.created_at).date(),
            )
            self._claim_and_send(
                key=f"{Kind.PENDING_PAYMENT}:{payment.pk}",
                kind=Kind.PENDING_PAYMENT,
                user=user,
                group_id=payment.group_id,
                rendered=rendered,
            )

    def track_debts(self) -> None:
        """OwedSince follows the balances: new debtors start now, settled ones are dropped."""
        with db.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notifications_owedsince (member_id, since) "
                "SELECT m.id, %s FROM groups_member m JOIN accounts_user u ON u.id = m.user_id "
                "WHERE m.is_active AND u.is_active AND m.owed > m.paid "
                "ON CONFLICT (member_id) DO NOTHING",
                [self.now],
            )
            cursor.execute(
                "DELETE FROM notifications_owedsince WHERE member_id NOT IN ("
                "SELECT m.id FROM groups_member m JOIN accounts_user u ON u.id = m.user_id "
                "WHERE m.is_active AND u.is_active AND m.owed > m.paid)"
            )

    def balances(self) -> None:
        self.track_debts()
        tracked = selectors.debtors_tracked(now=self.now)
        if not tracked:
            return
        last = selectors.last_balance_reminders(
            user_ids={t.member.user_id for t in tracked if t.member.user_id is not None},
            since=self.now - selectors.BALANCE_LOOKBACK,
        )
        for row in tracked:
            if self.budget <= 0:
                return
            member = row.member
            user = member.user
            assert user is not None
            days_n = selectors.preferences_of(user.notification_preferences).balance_days
            owed_days = (self.now - row.since).days
            k = owed_days // days_n  # the k-th reminder of this debt
            if k < 1:
                continue
            previous = last.get((user.pk, member.group_id))
            if previous is not None and self.now - previous < datetime.timedelta(days=days_n):
                continue  # at most one per N days per group, even if N just got shorter
            rendered = messages.balance_owed(
                to=_recipient(user),
                amount=member.owed - member.paid,
                currency=member.group.currency,
                group_id=member.group_id,
                group=member.group.name,
                days=owed_days,
                creditors=selectors.creditors_of(member=member),
            )
            self._claim_and_send(
                key=f"{Kind.BALANCE}:{member.pk}:{int(row.since.timestamp())}:{k}",
                kind=Kind.BALANCE,
                user=user,
                group_id=member.group_id,
                rendered=rendered,
            )

    def digests(self) -> None:
        start_day, end_day, period = last_week(self.now)
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            end_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        for user in selectors.digest_recipients(period=period, limit=max(self.budget, 0)):
            if self.budget <= 0:
                return
            groups = selectors.digest_groups(user=user, start=start, end=end)
            quiet = all(not (g.bill_count or g.payment_count or g.balance) for g in groups)
            rendered = (
                None
                if quiet
                else messages.digest(
                    to=_recipient(user), start=start_day, end=end_day, groups=groups
                )
            )
            self._claim_and_send(
                key=f"{Kind.DIGEST}:{user.pk}:{period}",
                kind=Kind.DIGEST,
                user=user,
                group_id=None,
                rendered=rendered,
            )


def last_week(now: datetime.datetime) -> tuple[datetime.date, datetime.date, str]:
    """The last complete Monday-Sunday week in TIME_ZONE: (first day, last day, "2026-W48")."""
    today = timezone.localtime(now).date()
    monday = today - datetime.timedelta(days=today.weekday())
    start = monday - datetime.timedelta(days=7)
    iso = start.isocalendar()
    return start, monday - datetime.timedelta(days=1), f"{iso.year}-W{iso.week:02d}"


def send_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    run = Run(now=now or timezone.now())
    try:
        run.leftovers()
        run.pending_payments()
        run.balances()
        run.digests()
    finally:
        run.connection.close()
    counts = dict(sorted(run.counts.items()))
    logger.info("send_reminders done", extra={"counts": counts})
    return counts
