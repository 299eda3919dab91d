"""Delivering the outbox to Discord, at least once.

A pass claims due rows with SELECT ... FOR UPDATE SKIP LOCKED (so concurrent workers, in this
process or another instance, never hold the same row), sends them in as few messages as the
limits allow, and in the same transaction deletes what Discord accepted and reschedules the
rest. A row is deleted only after a 2xx: if the process dies mid-send the transaction rolls back
and the row is sent again (a duplicate is possible only when Discord accepted but its answer was
lost).

Answers: 2xx delete; 429 pauses the webhook for retry_after; 5xx, timeouts and refused
connections pause it with capped exponential backoff and jitter; 401/403/404 mark it dead (the
alerts stay until the URL is replaced or `deliver_alerts --revive`); another 4xx means our
message was refused, so the rows fall back to a minimal embed.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from paytungan.alerts import discord, embeds
from paytungan.alerts.config import Webhook, fingerprint, webhook_for
from paytungan.alerts.models import Alert, AlertIssue, HookReceipt, WebhookState
from paytungan.alerts.normalized import NormalizedAlert

logger = logging.getLogger("paytungan.alerts")

DEAD_STATUSES = (401, 403, 404)
MAX_RETRY_AFTER = 3600.0  # a longer 429 wait is a Discord bug; check again within the hour
CLAIM_LIMIT = 50  # rows per pass: at most a few messages' worth of locks held during sends
_jitter = random.SystemRandom()


@dataclass
class PassResult:
    claimed: int = 0
    attempted: int = 0  # messages posted
    delivered: int = 0  # messages accepted
    alerts: int = 0  # outbox rows accepted

    def __iadd__(self, other: PassResult) -> PassResult:
        self.claimed += other.claimed
        self.attempted += other.attempted
        self.delivered += other.delivered
        self.alerts += other.alerts
        return self


def backoff(failures: int) -> float:
    """Seconds to wait after `failures` consecutive failures: doubling from the base, capped,
    with jitter so that instances recovering together do not retry in step."""
    base: float = settings.ALERT_RETRY_BASE_SECONDS
    cap: float = settings.ALERT_RETRY_MAX_SECONDS
    delay = min(cap, base * 2 ** min(max(failures, 1) - 1, 32))
    return _jitter.uniform(delay / 2, delay)


def drain(*, deadline: float | None = None, limit: int = CLAIM_LIMIT) -> PassResult:
    """Passes until nothing due is deliverable (or `deadline`, a time.monotonic() value)."""
    total = PassResult()
    while True:
        result = deliver_due(limit=limit)
        total += result
        if not result.attempted or (deadline is not None and time.monotonic() >= deadline):
            return total


def deliver_due(*, limit: int = CLAIM_LIMIT) -> PassResult:
    now = timezone.now()
    deliverable = _deliverable(now)
    if deliverable is None:
        return PassResult()
    result = PassResult()
    with transaction.atomic():
        rows = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(deliverable, next_attempt_at__lte=now)
            .order_by("id")[:limit]
        )
        result.claimed = len(rows)
        for hook, group in _by_webhook(_in_issue_order(rows)).items():
            items = [(row, _embed(row)) for row in group]
            for batch, message_embeds in embeds.pack(items):
                response = discord.post_message(
                    hook.url,
                    embeds.message(message_embeds),
                    timeout=settings.ALERT_DISCORD_TIMEOUT_SECONDS,
                )
                result.attempted += 1
                if not _record(hook, batch, response):
                    break  # the rest of this webhook's rows wait for the next pass
                result.delivered += 1
                result.alerts += len(batch)
    return result


def _deliverable(now: datetime) -> Q | None:
    """Rows whose webhook is configured, alive and not paused (None: no such webhook)."""
    blocked = set(
        WebhookState.objects.filter(
            Q(dead_since__isnull=False) | Q(paused_until__gt=now)
        ).values_list("fingerprint", flat=True)
    )
    routes: dict[str, str] = settings.DISCORD_WEBHOOK_ROUTES
    open_routes = [key for key, url in routes.items() if fingerprint(url) not in blocked]
    blocked_routes = [key for key, url in routes.items() if fingerprint(url) in blocked]
    default: str = settings.DISCORD_WEBHOOK_URL
    if default and fingerprint(default) not in blocked:
        return ~Q(route__in=blocked_routes) if blocked_routes else Q()
    return Q(route__in=open_routes) if open_routes else None


def _in_issue_order(rows: list[Alert]) -> list[Alert]:
    """Drops rows that have an older row of the same issue outside this batch (another worker
    is sending it, or it waits for a retry): alerts of one issue arrive in order."""
    if not rows:
        return rows
    ids = [row.id for row in rows]
    first_outside = dict(
        Alert.objects.filter(issue_key__in={row.issue_key for row in rows}, id__lt=max(ids))
        .exclude(id__in=ids)
        .values_list("issue_key")
        .annotate(first=Min("id"))
        .values_list("issue_key", "first")
    )
    return [row for row in rows if first_outside.get(row.issue_key, row.id) >= row.id]


def _by_webhook(rows: list[Alert]) -> dict[Webhook, list[Alert]]:
    groups: dict[Webhook, list[Alert]] = defaultdict(list)
    for row in rows:
        hook = webhook_for(row.route)
        if hook is not None:
            groups[hook].append(row)
    return groups


def _embed(row: Alert) -> dict[str, object]:
    return embeds.build_embed(
        NormalizedAlert.from_json(row.payload),
        count=row.count,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        plain=row.plain,
    )


def _record(hook: Webhook, rows: list[Alert], response: discord.DiscordResponse) -> bool:
    """Applies Discord's answer to the rows and the webhook's health; True when accepted."""
    now = timezone.now()
    state, _ = WebhookState.objects.select_for_update().get_or_create(
        fingerprint=hook.fingerprint, defaults={"route": hook.route}
    )
    state.route = hook.route
    state.last_status = response.status
    ids = [row.id for row in rows]
    name = hook.route or "default"
    accepted = response.ok
    if accepted:
        Alert.objects.filter(id__in=ids).delete()
        state.failures = 0
        state.last_ok_at = now
        if response.remaining == 0 and response.reset_after:
            # The bucket is empty: wait for it rather than collect a 429.
            state.paused_until = now + timedelta(seconds=response.reset_after)
    elif response.status == 429:
        wait = min(
            max(response.retry_after or settings.ALERT_RETRY_BASE_SECONDS, 0.05), MAX_RETRY_AFTER
        )
        until = now + timedelta(seconds=wait)
        state.paused_until = max(until, state.paused_until or until)
        _reschedule(ids, until, f"429 rate limited, retry after {wait:.2f}s")
        logger.warning("Discord rate limit", extra={"route": name, "retry_after": wait})
    elif response.status in DEAD_STATUSES:
        state.dead_since = state.dead_since or now
        state.dead_reason = f"{response.status} {response.detail}"[:300]
        _reschedule(ids, now, f"webhook dead: {response.status}")
        logger.error(
            "Discord webhook is dead (%s); its alerts are kept until the URL is replaced",
            response.status,
            extra={"route": name, "webhook": hook.fingerprint, "status": response.status},
        )
    elif response.status is not None and 400 <= response.status < 500:
        _refused(rows, now, response)
    else:
        state.failures += 1
        until = now + timedelta(seconds=backoff(state.failures))
        state.paused_until = until
        reason = f"{response.status or 'no answer'} {response.detail}".strip()
        _reschedule(ids, until, reason)
        logger.warning(
            "Discord delivery failed; retrying",
            extra={"route": name, "failures": state.failures, "reason": reason[:200]},
        )
    state.save()
    return accepted


def _reschedule(ids: list[int], when: datetime, reason: str) -> None:
    Alert.objects.filter(id__in=ids).update(
        attempts=F("attempts") + 1, next_attempt_at=when, last_error=reason[:300]
    )


def _refused(rows: list[Alert], now: datetime, response: discord.DiscordResponse) -> None:
    # Discord rejected the message itself (it should not: every limit is respected). Sending it
    # again unchanged would fail forever, so fall back to a minimal embed; if even that is
    # refused, keep retrying slowly and say so loudly.
    reason = f"{response.status} {response.detail}"
    full = [row.id for row in rows if not row.plain]
    if full:
        Alert.objects.filter(id__in=full).update(
            plain=True, attempts=F("attempts") + 1, next_attempt_at=now, last_error=reason[:300]
        )
    plain = [row.id for row in rows if row.plain]
    if plain:
        attempts = max(row.attempts for row in rows if row.plain) + 1
        _reschedule(plain, now + timedelta(seconds=backoff(attempts)), reason)
    logger.error(
        "Discord refused an alert message",
        extra={"status": response.status, "detail": response.detail, "fallback": bool(full)},
    )


def next_due_in() -> float | None:
    """Seconds until some row can be delivered (0: now); None when nothing deliverable waits."""
    now = timezone.now()
    dead = set(
        WebhookState.objects.filter(dead_since__isnull=False).values_list("fingerprint", flat=True)
    )
    paused = dict(
        WebhookState.objects.filter(paused_until__gt=now).values_list("fingerprint", "paused_until")
    )
    earliest: datetime | None = None
    for route, first in (
        Alert.objects.values_list("route").annotate(first=Min("next_attempt_at")).order_by()
    ):
        hook = webhook_for(route)
        if hook is None or hook.fingerprint in dead:
            continue
        due = max(first, paused.get(hook.fingerprint, first))
        earliest = due if earliest is None else min(earliest, due)
    return None if earliest is None else max((earliest - now).total_seconds(), 0.0)


def revive() -> int:
    """Clears every dead mark (after fixing a webhook in Discord without changing its URL)."""
    return WebhookState.objects.filter(dead_since__isnull=False).update(
        dead_since=None, dead_reason="", failures=0, paused_until=None
    )


def prune(*, keep: timedelta = timedelta(days=1)) -> None:
    """Forgets body digests and fold windows older than `keep` (the replay window)."""
    cutoff = timezone.now() - keep
    HookReceipt.objects.filter(received_at__lt=cutoff).delete()
    AlertIssue.objects.filter(Q(fold_until__isnull=True) | Q(fold_until__lt=cutoff)).exclude(
        key__in=Alert.objects.values("issue_key")
    ).delete()
