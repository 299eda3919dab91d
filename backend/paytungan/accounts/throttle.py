"""Rate limits that hold across every app instance: fixed-window counters in the database.

Two ways to count, for two kinds of limit:

- `check` / `reserve` (login, registration, password reset: security-critical): one upsert per
  attempt (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`) that counts the attempt *before* it
  is judged, atomic on PostgreSQL and SQLite alike, so however many instances and threads race,
  at most `limit` attempts get past it in a window.
- `LocalCounter` (the general per-user API limit, on every request): counted in process memory
  and added to the same database counter in batches, so a request does not wait for a
  synchronous write on one hot row per user (docs/decisions/0009-request-path.md has the bound).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F

from paytungan.accounts.models import ThrottleCounter
from paytungan.common.errors import Throttled
from paytungan.ops.context import client_ip as client_ip  # the address limits key on

_TABLE = ThrottleCounter._meta.db_table
_KEY_MAX = ThrottleCounter._meta.get_field("key").max_length or 200


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    window_seconds: int


def _window(window_seconds: int, now: float) -> tuple[int, int]:
    start = int(now) - int(now) % window_seconds
    return start, start + window_seconds


def storage_key(key: str) -> str:
    """Keys embed caller-supplied text (an email address up to 254 characters); a long one is
    shortened to a readable head plus a digest of the whole, so it always fits the column."""
    if len(key) <= _KEY_MAX:
        return key
    return f"{key[: _KEY_MAX - 65]}#{hashlib.sha256(key.encode()).hexdigest()}"


def hit(limit: Limit, *, now: float | None = None, amount: int = 1) -> int:
    """Count `amount` events and return the count in the current window (including them)."""
    start, end = _window(limit.window_seconds, time.time() if now is None else now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (key, window_start, count, expires_at) VALUES (%s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {_TABLE}.count + %s "
            "RETURNING count",
            [storage_key(limit.key), start, amount, end, amount],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else amount


def refund(limit: Limit, *, now: float | None = None) -> None:
    """Give back one event counted by `reserve` that turned out not to count (a login whose
    password was right is not a failure)."""
    start, __ = _window(limit.window_seconds, time.time() if now is None else now)
    ThrottleCounter.objects.filter(
        key=storage_key(limit.key), window_start=start, count__gt=0
    ).update(count=F("count") - 1)


def count(limit: Limit, *, now: float | None = None) -> int:
    start, __ = _window(limit.window_seconds, time.time() if now is None else now)
    found = (
        ThrottleCounter.objects.filter(key=storage_key(limit.key), window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return found or 0


def retry_after(limit: Limit, *, now: float | None = None) -> int:
    current = time.time() if now is None else now
    __, end = _window(limit.window_seconds, current)
    return max(1, int(end - current))


def check(limit: Limit, *, message: str | None = None) -> None:
    """Count this attempt, then raise Throttled if it is over the limit. Counting comes first
    and is one atomic statement, so parallel attempts can never all see "one left"."""
    if not settings.THROTTLE_ENABLED:
        return
    if hit(limit) > limit.limit:
        raise Throttled(retry_after(limit), message)


reserve = check  # the name login uses: the slot taken may be given back with `refund`


@dataclass
class _Slot:
    window_start: int
    known: int  # the shared count read back at this process's last flush (every instance's)
    pending: int  # counted here and not yet added to the shared count


class LocalCounter:
    """A per-process view of shared fixed-window counters, written in batches.

    A key's events are added to its database row every `batch` events (1/`batch_divisor` of
    the limit, at least 1); a request is let through while the shared count read back at the
    last flush plus what this process counted since stays within the limit. So each instance
    lets through at most `batch - 1` requests more than it knows of (the bound over I
    instances: limit + I x (batch - 1)), and a limit small enough that `batch` is 1 is exact.
    A refused request is not written at all: a client hammering past its limit costs no
    database write. Flushes are counted, not timed, so which request writes is deterministic.
    """

    def __init__(self, *, batch_divisor: int = 20) -> None:
        self.batch_divisor = batch_divisor
        self._lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}

    def batch(self, limit: Limit) -> int:
        return max(1, limit.limit // self.batch_divisor)

    def check(self, limit: Limit, *, message: str | None = None) -> None:
        if not settings.THROTTLE_ENABLED:
            return
        now = time.time()
        start, __ = _window(limit.window_seconds, now)
        flush = 0
        with self._lock:
            slot = self._slots.get(limit.key)
            if slot is None or slot.window_start != start:
                if len(self._slots) > 10_000:
                    self._forget_old(start)
                slot = _Slot(window_start=start, known=0, pending=0)
                self._slots[limit.key] = slot
            refused = slot.known + slot.pending >= limit.limit
            if not refused:
                slot.pending += 1
                if slot.pending >= self.batch(limit):
                    flush, slot.pending = slot.pending, 0
        if refused:
            raise Throttled(retry_after(limit, now=now), message)
        if flush:
            # Outside the lock: other threads keep counting while this one talks to the database.
            total = hit(limit, now=now, amount=flush)
            with self._lock:
                if slot.window_start == start:
                    slot.known = max(slot.known, total)
                    if total > limit.limit:
                        # Other instances spent the budget meanwhile: this request is one too many.
                        raise Throttled(retry_after(limit, now=now), message)

    def _forget_old(self, current_start: int) -> None:
        for key in [k for k, s in self._slots.items() if s.window_start < current_start]:
            del self._slots[key]

    def reset(self) -> None:
        with self._lock:
            self._slots.clear()


api_counter = LocalCounter()


def prune(*, now: float | None = None) -> int:
    deleted, __ = ThrottleCounter.objects.filter(
        expires_at__lt=int(time.time() if now is None else now)
    ).delete()
    return deleted
