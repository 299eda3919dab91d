"""Email notification preferences, the debts being watched, and the delivery log.

The delivery log is what makes "never twice for the same event" hold: every email has a key
naming its event (`pending_payment:<payment id>`, `balance:<member>:<since>:<k>`,
`digest:<user>:<ISO week>`), the key is unique, and the row is committed before the email is
handed to SMTP (docs/decisions/0020-email-reminders.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from paytungan.groups.models import Group, Member


class Kind(models.TextChoices):
    PENDING_PAYMENT = "pending_payment"
    BALANCE = "balance"
    DIGEST = "digest"


class NotificationPreferences(models.Model):
    """One row per user who changed something; no row means the defaults (pending-payment
    reminders on, balance reminders and the digest off, N from BALANCE_REMINDER_DAYS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    pending_payments = models.BooleanField(default=True)
    balance_reminders = models.BooleanField(default=False)
    # NULL: the operator's default (settings.BALANCE_REMINDER_DAYS).
    balance_days = models.PositiveSmallIntegerField(null=True, blank=True)
    weekly_digest = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_days__isnull=True)
                | Q(balance_days__gte=1, balance_days__lte=90),
                name="notification_balance_days_range",
            )
        ]

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"


class OwedSince(models.Model):
    """Since when a registered member has owed their group money, as the job saw it: the row
    appears on the first run that sees the balance negative and goes on the first run that sees
    it settled, so "owed for N days" is accurate to the job's schedule (hourly)."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    since = models.DateTimeField()

    def __str__(self) -> str:
        return f"member {self.member_id} owes since {self.since:%Y-%m-%d %H:%M}"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending"  # claimed and committed; handed (or about to be handed) to SMTP
    SENT = "sent"
    FAILED = "failed"  # SMTP refused or was unreachable; retried from next_attempt_at
    GAVE_UP = "gave_up"  # failed NOTIFICATION_MAX_ATTEMPTS times
    INTERRUPTED = "interrupted"  # the job died while sending: maybe sent, never resent
    SKIPPED = "skipped"  # nothing to say (an empty digest) or the user opted out meanwhile


class Delivery(models.Model):
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The message as rendered at claim time, so a retry sends exactly what was meant.
    to_email = models.EmailField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=300, blank=True, default="")
    body_text = models.TextField(blank=True, default="")
    body_html = models.TextField(blank=True, default="")
    unsubscribe_url = models.CharField(max_length=1000, blank=True, default="")
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="delivery_kind_known"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["kind", "user", "group", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
