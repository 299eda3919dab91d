"""Removal of expired rows; run by `manage.py prune` (a scheduled job in production)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from paytungan.accounts import throttle
from paytungan.ops.models import IdempotencyKey

IDEMPOTENCY_TTL = timedelta(hours=24)
# Per-route traffic is aggregate and useful for year-on-year capacity planning; who was active on
# which day is personal data, kept only as long as the "active users" chart needs it.
USAGE_ROUTE_RETENTION = timedelta(days=400)
USAGE_USER_RETENTION = timedelta(days=90)


def prune_expired() -> dict[str, int]:
    from paytungan.groups.models import Invite
    from paytungan.notifications import outbox as notifications
    from paytungan.ops.usage.models import UsageDay, UsageUser

    now = timezone.now()
    # Usage rows are keyed by the local (TIME_ZONE) day, so the cut-off is a local day too.
    today = timezone.localdate(now)
    counts = {
        "idempotency_keys": IdempotencyKey.objects.filter(
            created_at__lt=now - IDEMPOTENCY_TTL
        ).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "invites": Invite.objects.filter(expires_at__lt=now).delete()[0],
        "throttle_counters": throttle.prune(),
        "usage_days": UsageDay.objects.filter(day__lt=today - USAGE_ROUTE_RETENTION).delete()[0],
        "usage_users": UsageUser.objects.filter(day__lt=today - USAGE_USER_RETENTION).delete()[0],
        # The email delivery log past its "never twice" horizon (notifications/outbox.py).
        "notification_deliveries": notifications.prune(now=now),
    }
    return counts
