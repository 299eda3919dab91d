"""Removal of expired rows; run by `manage.py prune` (a scheduled job in production)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from paytungan.accounts import throttle
from paytungan.ops.models import IdempotencyKey

IDEMPOTENCY_TTL = timedelta(hours=24)


def prune_expired() -> dict[str, int]:
    from paytungan.groups.models import Invite

    now = timezone.now()
    counts = {
        "idempotency_keys": IdempotencyKey.objects.filter(
            created_at__lt=now - IDEMPOTENCY_TTL
        ).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "invites": Invite.objects.filter(expires_at__lt=now).delete()[0],
        "throttle_counters": throttle.prune(),
    }
    return counts
