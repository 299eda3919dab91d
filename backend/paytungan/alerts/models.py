from __future__ import annotations

from django.db import models
from django.utils import timezone


class Alert(models.Model):
    """The outbox: one Discord embed waiting to be delivered. It holds one normalized alert, or
    several of the same issue folded together (`count`, first/last seen). A row is deleted only
    once Discord has accepted the message that carried it."""

    source = models.CharField(max_length=20)  # sentry | uptime | test
    kind = models.CharField(max_length=40)  # e.g. event_alert.triggered, issue.resolved
    # Route key (project slug, or "" for the default webhook); resolved to a URL at delivery so
    # that a fixed webhook URL applies to alerts already waiting.
    route = models.CharField(max_length=100, blank=True)
    # Alerts of one issue share this key: delivered in id order, folded when `foldable`.
    issue_key = models.CharField(max_length=255)
    foldable = models.BooleanField(default=False)
    payload = models.JSONField()  # paytungan.alerts.normalized.NormalizedAlert, latest one
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Discord refused the full embed (400): the next attempts send a minimal one.
    plain = models.BooleanField(default=False)
    last_error = models.CharField(max_length=300, blank=True, default="")
    # A worker's lease on the row while it sends it (paytungan.alerts.delivery): rows are
    # claimed in a short transaction and sent outside any, so a crashed worker's rows come back
    # once `claimed_until` passes. The token says whose claim it is: an answer is applied only
    # by the worker that still holds the row.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="", db_default="")

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="alert_due"),
            models.Index(fields=["issue_key", "id"], name="alert_issue_order"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="alert_count")]

    def __str__(self) -> str:
        return f"{self.kind} {self.issue_key} x{self.count}"


class AlertIssue(models.Model):
    """One row per issue key. Locked while an alert of that issue is stored, so alerts of one
    issue get ids in arrival order; `fold_until` ends the issue's current fold window."""

    key = models.CharField(max_length=255, primary_key=True)
    fold_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class WebhookState(models.Model):
    """Health of one Discord webhook, shared by every worker and instance."""

    fingerprint = models.CharField(max_length=16, primary_key=True)  # never the URL (a secret)
    route = models.CharField(max_length=100, blank=True)
    dead_since = models.DateTimeField(null=True, blank=True)
    dead_reason = models.CharField(max_length=300, blank=True, default="")
    paused_until = models.DateTimeField(null=True, blank=True)  # 429 or backoff after failures
    # Discord's rate-limit bucket as its last answer described it (X-RateLimit-Remaining and
    # -Reset-After); a worker takes a slot before each send, so workers share the bucket.
    bucket_remaining = models.IntegerField(null=True, blank=True)
    bucket_reset_at = models.DateTimeField(null=True, blank=True)
    # The send in flight to this webhook (one at a time): the pass that sent it, and when its
    # lease ends if that pass never records the answer.
    # When the last (up to 30) messages were sent, Unix seconds: Discord's per-channel limit of
    # 30 a minute has no header (paytungan.alerts.delivery.CHANNEL_LIMIT).
    recent_sends = models.JSONField(default=list, blank=True, db_default=[])
    sending_token = models.CharField(max_length=32, blank=True, default="", db_default="")
    sending_until = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive 5xx/timeouts
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.route or 'default'} ({self.fingerprint})"


class HookReceipt(models.Model):
    """Digests of webhook bodies already stored. Sentry signs the body but not the timestamp,
    so a captured request could be replayed with a fresh timestamp; the same body twice is
    acknowledged and stored once."""

    digest = models.CharField(max_length=64, primary_key=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.digest
