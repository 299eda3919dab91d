"""Delivering the outbox to Discord, at least once, and at most one message twice.

A pass claims due rows in a short transaction (SELECT ... FOR UPDATE SKIP LOCKED, so concurrent
workers in this process or another instance never claim the same row) by giving them a lease:
`claimed_until` and this pass's `claim_token`. It then sends them, outside any transaction, in
as few messages as the limits allow, and commits Discord's answer to each message before the
next one is sent. A row is deleted only after a 2xx: if the process dies mid-pass, only the
message whose answer was lost is sent again (once its lease expires, by whichever worker comes
next); everything answered before is already committed.

Answers: 2xx delete; 429 pauses the webhook for retry_after; 5xx, timeouts and refused
connections pause it with capped exponential backoff and jitter; 401/403/404 mark it dead (the
alerts stay until the URL is replaced or `deliver_alerts --revive`); another 4xx means our
message was refused, so the rows fall back to a minimal embed.

Rate limits: every answer's X-RateLimit-Remaining / -Reset-After are stored on the webhook's
row, and each send first takes a slot from that bucket, so a bucket emptied by one message (or
by another worker) is waited for before the next send, never discovered by a 429. A webhook
has at most one message in flight across all workers (a short lease on its row, like
discord.js's sequential queue per bucket): an answer then describes every send made in its
window, where two sends in flight could both be counted against a stale Remaining.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from paytungan.alerts import discord, embeds
from paytungan.alerts.config import Webhook, fingerprint, webhook_for
from paytungan.alerts.models import Alert, AlertIssue, HookReceipt, WebhookState
from paytungan.alerts.normalized import NormalizedAlert

logger = logging.getLogger("paytungan.alerts")

DEAD_STATUSES = (401, 403, 404)
MAX_RETRY_AFTER = 3600.0  # a longer 429 wait is a Discord bug; check again within the hour
CLAIM_LIMIT = 50  # rows per pass: a few messages' worth
# An empty bucket that refills within this is waited for inside the pass; a longer wait
# releases the rows and pauses the webhook (the next pass or the job sends them).
MAX_BUCKET_WAIT = 5.0
# Discord's limit on webhooks per channel, which no X-RateLimit header describes (the bucket
# headers are the webhook's 5 per 2 s): more than 30 messages in a minute is a 429 of scope
# "shared". Kept per webhook as the times of its last sends, a sliding window.
CHANNEL_LIMIT = 30
CHANNEL_WINDOW = 60.0
BUCKET_MARGIN = 0.05  # seconds added to Reset-After: our clock and Discord's are not one
SEND_POLL = 0.05  # how often a worker looks again while another one's message is in flight
_jitter = random.SystemRandom()
# Set when the process is ending (kick.stop_delivery): a pass sends nothing more after the
# message in flight, hands its other claimed rows back at once (no lease to wait out) and ends.
stopping = threading.Event()


class Clock:
    """Wall time and sleeping, in one place so tests can inject a clock that only moves when
    told (no real sleeps, no timing that breaks under load)."""

    def now(self) -> datetime:
        return timezone.now()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


clock = Clock()


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


def lease_seconds() -> float:
    # A claim must outlive one send (Discord's timeout) plus recording its answer; it is renewed
    # before every send, so a long pass never loses its rows.
    timeout: float = settings.ALERT_DISCORD_TIMEOUT_SECONDS
    lease: float = settings.ALERT_CLAIM_LEASE_SECONDS
    return max(lease, timeout + 2.0)


def drain(*, deadline: float | None = None, limit: int = CLAIM_LIMIT) -> PassResult:
    """Passes until nothing due is deliverable (or `deadline`, a time.monotonic() value)."""
    total = PassResult()
    while True:
        result = deliver_due(limit=limit)
        total += result
        if (
            not result.attempted
            or stopping.is_set()
            or (deadline is not None and time.monotonic() >= deadline)
        ):
            return total


def deliver_due(*, limit: int = CLAIM_LIMIT) -> PassResult:
    now = clock.now()
    deliverable = _deliverable(now)
    if deliverable is None:
        return PassResult()
    token = uuid.uuid4().hex
    rows = _claim(deliverable, now, limit, token)
    result = PassResult(claimed=len(rows))
    unsent = {row.id for row in rows}
    try:
        for hook, group in _by_webhook(rows).items():
            items = [(row, _embed(row)) for row in group]
            for batch, message_embeds in embeds.pack(items):
                if stopping.is_set() or not _take_slot(hook, token):
                    break  # bucket or webhook paused for long: the rest waits
                live = _renew(batch, token)
                if not live:
                    _end_send(hook, token)
                    unsent -= {row.id for row in batch}
                    continue  # our lease ran out and another worker took these rows
                if len(live) < len(batch):
                    kept = {row.id for row in live}
                    message_embeds = [
                        e for r, e in zip(batch, message_embeds, strict=True) if r.id in kept
                    ]
                response = discord.post_message(
                    hook.url,
                    embeds.message(message_embeds),
                    timeout=settings.ALERT_DISCORD_TIMEOUT_SECONDS,
                )
                result.attempted += 1
                accepted = _record(hook, live, response, token)
                unsent -= {row.id for row in batch}
                if not accepted:
                    break  # the rest of this webhook's rows wait for the next pass
                result.delivered += 1
                result.alerts += len(live)
    finally:
        if unsent:
            _release(unsent, token)
    return result


def _claim(deliverable: Q, now: datetime, limit: int, token: str) -> list[Alert]:
    with transaction.atomic():
        rows = list(
            Alert.objects.select_for_update(skip_locked=True)
            .filter(deliverable, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("id")[:limit]
        )
        rows = _in_issue_order(rows)
        if rows:
            Alert.objects.filter(id__in=[row.id for row in rows]).update(
                claimed_until=now + timedelta(seconds=lease_seconds()), claim_token=token
            )
    return rows


def _renew(batch: list[Alert], token: str) -> list[Alert]:
    """Extends the lease on `batch` right before it is sent; the rows still ours."""
    ids = [row.id for row in batch]
    until = clock.now() + timedelta(seconds=lease_seconds())
    renewed = Alert.objects.filter(id__in=ids, claim_token=token).update(claimed_until=until)
    if renewed == len(ids):
        return batch
    kept = set(Alert.objects.filter(id__in=ids, claim_token=token).values_list("id", flat=True))
    return [row for row in batch if row.id in kept]


def _release(ids: set[int], token: str) -> None:
    Alert.objects.filter(id__in=ids, claim_token=token).update(claimed_until=None, claim_token="")


def _take_slot(hook: Webhook, token: str) -> bool:
    """Waits until the webhook's bucket has room and no other message is in flight to it, then
    takes a slot and the send lease (shared by every worker through the webhook's row). False
    when the wait would be long: stop sending to it."""
    waited = 0.0
    while True:
        if stopping.is_set():
            return False
        now = clock.now()
        with transaction.atomic():
            state, _ = WebhookState.objects.select_for_update().get_or_create(
                fingerprint=hook.fingerprint, defaults={"route": hook.route}
            )
            if state.dead_since is not None:
                return False
            if state.sending_until is not None and state.sending_until > now:
                if waited >= MAX_BUCKET_WAIT:
                    return False  # another worker's send hangs: the next pass tries again
                wait = min(SEND_POLL, (state.sending_until - now).total_seconds())
                waited += wait
                clock.sleep(wait)
                continue
            wait = 0.0
            in_bucket = state.bucket_reset_at is not None and state.bucket_reset_at > now
            recent = _recent_sends(state, now)
            if state.paused_until is not None and state.paused_until > now:
                wait = (state.paused_until - now).total_seconds()
            elif in_bucket and state.bucket_remaining is not None and state.bucket_remaining <= 0:
                wait = (state.bucket_reset_at - now).total_seconds()  # type: ignore[operator]
            elif len(recent) >= CHANNEL_LIMIT:
                wait = recent[-CHANNEL_LIMIT] + CHANNEL_WINDOW + BUCKET_MARGIN - now.timestamp()
            if wait <= 0:
                if in_bucket and state.bucket_remaining is not None:
                    state.bucket_remaining -= 1
                state.recent_sends = [*recent, now.timestamp()][-CHANNEL_LIMIT:]
                # The lease outlives the send's timeout, so a worker that dies mid-send frees
                # the webhook by itself.
                state.sending_token = token
                state.sending_until = now + timedelta(seconds=lease_seconds())
                taken = [
                    "bucket_remaining",
                    "recent_sends",
                    "sending_token",
                    "sending_until",
                    "updated_at",
                ]
                state.save(update_fields=taken)
                return True
            if wait > MAX_BUCKET_WAIT:
                if state.paused_until is None or state.paused_until < now:
                    # The bucket (or the minute) refills late: pause the webhook so no pass
                    # claims its rows meanwhile, and next_due_in says when to come back.
                    state.paused_until = now + timedelta(seconds=wait)
                    state.save(update_fields=["paused_until", "updated_at"])
                return False
        clock.sleep(wait)


def _note_send(state: WebhookState, now: datetime) -> None:
    """Moves the latest send's time to its answer's: Discord counted it somewhere in between,
    and its window must not end before Discord's does."""
    sends = state.recent_sends if isinstance(state.recent_sends, list) else []
    if sends and isinstance(sends[-1], int | float):
        state.recent_sends = [*sends[:-1], max(sends[-1], now.timestamp())]


def _recent_sends(state: WebhookState, now: datetime) -> list[float]:
    """Times (Unix seconds) of the webhook's sends within the last CHANNEL_WINDOW, oldest first."""
    since = now.timestamp() - CHANNEL_WINDOW
    sends = state.recent_sends if isinstance(state.recent_sends, list) else []
    return sorted(t for t in sends if isinstance(t, int | float) and t > since)


def _end_send(hook: Webhook, token: str) -> None:
    """Gives up the send lease taken by `token` without sending (its slot stays used)."""
    WebhookState.objects.filter(fingerprint=hook.fingerprint, sending_token=token).update(
        sending_token="", sending_until=None
    )


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


def _record(
    hook: Webhook, rows: list[Alert], response: discord.DiscordResponse, token: str
) -> bool:
    """Applies Discord's answer to the rows and the webhook's health, committed at once (before
    the next message is sent); True when accepted. Only rows still claimed by `token` change."""
    with transaction.atomic():
        return _apply(hook, rows, response, token)


def _apply(hook: Webhook, rows: list[Alert], response: discord.DiscordResponse, token: str) -> bool:
    now = clock.now()
    state, _ = WebhookState.objects.select_for_update().get_or_create(
        fingerprint=hook.fingerprint, defaults={"route": hook.route}
    )
    state.route = hook.route
    state.last_status = response.status
    if state.sending_token == token:
        state.sending_token, state.sending_until = "", None
    ids = [row.id for row in rows]
    name = hook.route or "default"
    accepted = response.ok
    _note_bucket(state, response, now)
    _note_send(state, now)
    if accepted:
        Alert.objects.filter(id__in=ids, claim_token=token).delete()
        state.failures = 0
        state.last_ok_at = now
    elif response.status == 429:
        wait = min(
            max(response.retry_after or settings.ALERT_RETRY_BASE_SECONDS, 0.05), MAX_RETRY_AFTER
        )
        until = now + timedelta(seconds=wait)
        state.paused_until = max(until, state.paused_until or until)
        _reschedule(ids, until, f"429 rate limited, retry after {wait:.2f}s", token)
        logger.warning("Discord rate limit", extra={"route": name, "retry_after": wait})
    elif response.status in DEAD_STATUSES:
        state.dead_since = state.dead_since or now
        state.dead_reason = f"{response.status} {response.detail}"[:300]
        _reschedule(ids, now, f"webhook dead: {response.status}", token)
        logger.error(
            "Discord webhook is dead (%s); its alerts are kept until the URL is replaced",
            response.status,
            extra={"route": name, "webhook": hook.fingerprint, "status": response.status},
        )
    elif response.status is not None and 400 <= response.status < 500:
        _refused(rows, now, response, token)
    else:
        state.failures += 1
        until = now + timedelta(seconds=backoff(state.failures))
        state.paused_until = until
        reason = f"{response.status or 'no answer'} {response.detail}".strip()
        _reschedule(ids, until, reason, token)
        logger.warning(
            "Discord delivery failed; retrying",
            extra={"route": name, "failures": state.failures, "reason": reason[:200]},
        )
    state.save()
    return accepted


def _note_bucket(state: WebhookState, response: discord.DiscordResponse, now: datetime) -> None:
    """Keeps the bucket Discord described. Within one window the count only goes down, and
    slots taken by sends still in flight are already subtracted: keep the lower count."""
    if response.remaining is None or response.reset_after is None:
        return
    reset_at = now + timedelta(seconds=response.reset_after + BUCKET_MARGIN)
    same_window = state.bucket_reset_at is not None and state.bucket_reset_at > now
    if same_window and state.bucket_remaining is not None:
        state.bucket_remaining = min(state.bucket_remaining, response.remaining)
        state.bucket_reset_at = max(state.bucket_reset_at or reset_at, reset_at)
    else:
        state.bucket_remaining = response.remaining
        state.bucket_reset_at = reset_at


def _reschedule(ids: list[int], when: datetime, reason: str, token: str) -> None:
    Alert.objects.filter(id__in=ids, claim_token=token).update(
        attempts=F("attempts") + 1,
        next_attempt_at=when,
        last_error=reason[:300],
        claimed_until=None,
        claim_token="",
    )


def _refused(
    rows: list[Alert], now: datetime, response: discord.DiscordResponse, token: str
) -> None:
    # Discord rejected the message itself (it should not: every limit is respected). Sending it
    # again unchanged would fail forever, so fall back to a minimal embed; if even that is
    # refused, keep retrying slowly and say so loudly.
    reason = f"{response.status} {response.detail}"
    full = [row.id for row in rows if not row.plain]
    if full:
        Alert.objects.filter(id__in=full, claim_token=token).update(
            plain=True,
            attempts=F("attempts") + 1,
            next_attempt_at=now,
            last_error=reason[:300],
            claimed_until=None,
            claim_token="",
        )
    plain = [row.id for row in rows if row.plain]
    if plain:
        attempts = max(row.attempts for row in rows if row.plain) + 1
        _reschedule(plain, now + timedelta(seconds=backoff(attempts)), reason, token)
    logger.error(
        "Discord refused an alert message",
        extra={"status": response.status, "detail": response.detail, "fallback": bool(full)},
    )


def next_due_in() -> float | None:
    """Seconds until some row can be delivered (0: now); None when nothing deliverable waits.
    A row claimed by a worker is due when its lease ends (the worker died, or will have
    deleted it by then)."""
    now = clock.now()
    dead = set(
        WebhookState.objects.filter(dead_since__isnull=False).values_list("fingerprint", flat=True)
    )
    paused = dict(
        WebhookState.objects.filter(paused_until__gt=now).values_list("fingerprint", "paused_until")
    )
    earliest: datetime | None = None
    for route, first in (
        Alert.objects.values_list("route")
        .annotate(
            first=Min(Greatest("next_attempt_at", Coalesce("claimed_until", "next_attempt_at")))
        )
        .order_by()
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
