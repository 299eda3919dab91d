"""Claim, send, record: the delivery log's state machine (docs/decisions/0020-email-reminders.md).

    (none) --claim--> sending --SMTP ok--> sent
                         |--SMTP error--> failed --next run, attempts left--> sending ...
                         |                  `--no attempts left--> gave_up
                         `--job died, row left behind--> interrupted (never resent)

The claim is an INSERT of the event's unique key, committed *before* SMTP is called. Two job
runs that select the same event both try the INSERT; the database lets one through and the
other skips it. A crash between SMTP accepting the message and the `sent` commit leaves the row
in `sending`; later runs mark it `interrupted` and never send it again: at most once. A lost
reminder is cheap, a duplicate is the thing the issue forbids. An SMTP error, by contrast, says
the message was not accepted, so it is retried, with a bound.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Concat

from paytungan.notifications.messages import Rendered
from paytungan.notifications.models import Delivery, DeliveryStatus, Kind, OwedSince
from paytungan.notifications.selectors import BALANCE_LOOKBACK, PENDING_LOOKBACK
from paytungan.payments.models import Payment, PaymentStatus

logger = logging.getLogger(__name__)

# A row still `sending` this long after its claim belongs to a run that died.
SENDING_LEASE = datetime.timedelta(minutes=15)
# A digest row is for the week before the one it was claimed in, the only week the job looks at.
DIGEST_HORIZON = datetime.timedelta(days=14)


def claim(
    *,
    key: str,
    kind: str,
    user_id: int,
    group_id: int | None,
    to_email: str,
    rendered: Rendered | None,
    now: datetime.datetime,
) -> Delivery | None:
    """The delivery row for this event, committed, or None when another run (or an earlier one)
    already has it. `rendered=None` records the event as skipped (nothing worth sending)."""
    fields: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "user_id": user_id,
        "group_id": group_id,
        "to_email": to_email,
        "created_at": now,
        "claimed_at": now,
    }
    if rendered is None:
        fields["status"] = DeliveryStatus.SKIPPED
    else:
        fields.update(
            status=DeliveryStatus.SENDING,
            attempts=1,
            subject=rendered.subject[:300],
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            unsubscribe_url=rendered.unsubscribe_url,
        )
    try:
        with transaction.atomic():
            return Delivery.objects.create(**fields)
    except IntegrityError:
        return None


def claim_retry(*, now: datetime.datetime) -> Delivery | None:
    """The next failed delivery that is due, moved to `sending` (attempts + 1) and committed;
    a row another run holds is skipped, so two runs never retry the same email."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    delivery.refresh_from_db()
    return delivery


def mark_interrupted(*, now: datetime.datetime) -> int:
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - SENDING_LEASE
    ).update(status=DeliveryStatus.INTERRUPTED)


def skip(delivery: Delivery, *, reason: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SKIPPED, last_error=reason[:500]
    )


def prune(*, now: datetime.datetime) -> int:
    """Deletes the rows past the idempotency horizon: those whose event the job can no longer
    select, so no key of theirs can come round again (`manage.py prune`). Retries are over long
    before (12 h at most between attempts), and a `sending` row is `interrupted` after 15 min.

    - pending payment: claimed at least PENDING_PAYMENT_REMINDER_HOURS after the payment, which
      is selected only within PENDING_LOOKBACK of that: a row older than PENDING_LOOKBACK goes,
      unless its payment is still pending and selectable (the delay was raised since);
    - digest: older than DIGEST_HORIZON (the job only looks at last week);
    - balance: older than BALANCE_LOOKBACK (the "one per N days" rule reads no further back), and
      not of a debt still running since before the row (its key names when the debt began, and
      a user who lengthens N can bring an old key round again while it runs).
    """
    selectable = (
        Payment.objects.filter(
            status=PaymentStatus.PENDING,
            created_at__gt=now
            - datetime.timedelta(hours=settings.PENDING_PAYMENT_REMINDER_HOURS)
            - PENDING_LOOKBACK,
        )
        .annotate(event=Concat(Value(f"{Kind.PENDING_PAYMENT}:"), Cast("pk", CharField())))
        .filter(event=OuterRef("key"))
    )
    pending = Delivery.objects.filter(
        kind=Kind.PENDING_PAYMENT, created_at__lt=now - PENDING_LOOKBACK
    ).exclude(Exists(selectable))
    digests = Delivery.objects.filter(kind=Kind.DIGEST, created_at__lt=now - DIGEST_HORIZON)
    running = OwedSince.objects.filter(
        member__user_id=OuterRef("user_id"),
        member__group_id=OuterRef("group_id"),
        since__lte=OuterRef("created_at"),
    )
    balances = Delivery.objects.filter(
        kind=Kind.BALANCE, created_at__lt=now - BALANCE_LOOKBACK
    ).exclude(Exists(running))
    return sum(rows.delete()[0] for rows in (pending, digests, balances))


def retry_delay(attempts: int) -> datetime.timedelta:
    """10 min, 20, 40, ... at most 12 h: SMTP outages are usually short."""
    return min(datetime.timedelta(minutes=10 * 2 ** (attempts - 1)), datetime.timedelta(hours=12))


def build_message(delivery: Delivery, *, connection: Any) -> EmailMultiAlternatives:
    headers = {
        # RFC 8058: a mail client's unsubscribe button POSTs "List-Unsubscribe=One-Click" here.
        "List-Unsubscribe": f"<{delivery.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 3834: no vacation auto-replies to a machine's email.
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to_email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(delivery.body_html, "text/html")
    return message


def send(delivery: Delivery, *, connection: Any, now: datetime.datetime) -> bool:
    """Hands the claimed delivery to the email backend and records the outcome."""
    try:
        build_message(delivery, connection=connection).send(fail_silently=False)
    except (OSError, smtplib.SMTPException) as exc:
        # The backend's connection may be half-open now: the next send opens a fresh one.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
        gave_up = delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.GAVE_UP if gave_up else DeliveryStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:500],
            next_attempt_at=None if gave_up else now + retry_delay(delivery.attempts),
        )
        log = logger.error if gave_up else logger.warning
        log(
            "notification email failed",
            extra={
                "delivery_id": delivery.pk,
                "kind": delivery.kind,
                "attempts": delivery.attempts,
                "gave_up": gave_up,
                "error": type(exc).__name__,
            },
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error=""
    )
    return True
