"""Rate limits that hold across every app instance: fixed-window counters in the database.

One upsert per check (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), atomic on PostgreSQL and
SQLite alike, so two instances can never both let the 11th attempt through.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from paytungan.accounts.models import ThrottleCounter
from paytungan.common.errors import Throttled

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


def hit(limit: Limit, *, now: float | None = None) -> int:
    """Count one event and return the count in the current window (including this one)."""
    start, end = _window(limit.window_seconds, time.time() if now is None else now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (key, window_start, count, expires_at) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {_TABLE}.count + 1 "
            "RETURNING count",
            [storage_key(limit.key), start, end],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 1


def count(limit: Limit, *, now: float | None = None) -> int:
    start, _ = _window(limit.window_seconds, time.time() if now is None else now)
    found = (
        ThrottleCounter.objects.filter(key=storage_key(limit.key), window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return found or 0


def retry_after(limit: Limit, *, now: float | None = None) -> int:
    current = time.time() if now is None else now
    _, end = _window(limit.window_seconds, current)
    return max(1, int(end - current))


def check(limit: Limit, *, record: bool = True, message: str = "Too many requests.") -> None:
    """Raise Throttled when the limit is exhausted. With record=False only looks (login failures
    are counted after the password check, but refused before it)."""
    if not settings.THROTTLE_ENABLED:
        return
    seen = hit(limit) if record else count(limit) + 1
    if seen > limit.limit:
        raise Throttled(retry_after(limit), message)


def prune(*, now: float | None = None) -> int:
    deleted, _ = ThrottleCounter.objects.filter(
        expires_at__lt=int(time.time() if now is None else now)
    ).delete()
    return deleted


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind N trusted proxies the N-th address from the right of
    X-Forwarded-For is the one the first proxy saw; anything left of it the client can forge."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", "unknown"))
