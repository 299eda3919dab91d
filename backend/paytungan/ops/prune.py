"""Removal of expired rows; run by `manage.py prune` (a scheduled job in production).

Apps above ops register what of theirs expires (`register`, in their AppConfig.ready: accounts'
throttle counters, groups' invites), so ops needn't import them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from paytungan.ops.models import IdempotencyKey

IDEMPOTENCY_TTL = timedelta(hours=24)
# Per-route traffic is aggregate and useful for year-on-year capacity planning; who was active on
# which day is personal data, kept only as long as the "active users" chart needs it.
USAGE_ROUTE_RETENTION = timedelta(days=400)
USAGE_USER_RETENTION = timedelta(days=90)


# now -> how many rows were deleted
Pruner = Callable[[datetime], int]
_pruners: dict[str, Pruner] = {}


def register(name: str, pruner: Pruner) -> None:
    _pruners[name] = pruner


def prune_expired() -> dict[str, int]:
    from paytungan.ops.usage.models import UsageDay, UsageUser  # its own app, inside ops

    now = timezone.now()
    # Usage rows are keyed by the local (TIME_ZONE) day, so the cut-off is a local day too.
    today = timezone.localdate(now)
    counts = {
        "idempotency_keys": IdempotencyKey.objects.filter(
            created_at__lt=now - IDEMPOTENCY_TTL
        ).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "usage_days": UsageDay.objects.filter(day__lt=today - USAGE_ROUTE_RETENTION).delete()[0],
        "usage_users": UsageUser.objects.filter(day__lt=today - USAGE_USER_RETENTION).delete()[0],
    }
    for name, pruner in _pruners.items():
        counts[name] = pruner(now)
    return counts
