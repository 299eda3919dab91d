"""Change notices from PostgreSQL, for per-process caches that must not outlive a change.

Triggers (groups/migrations/0002) send `NOTIFY paytungan_changes, '<kind><id>'` when a row that a
cache holds changes: a user or their tokens (`u<user id>`), a group or its members
(`g<group id>`). PostgreSQL delivers a notice only when its transaction commits, to every
listening session. Each process runs one listener thread on its own connection; it hands each
notice to the subscribers and proves every `HEARTBEAT_SECONDS` that notices still arrive by
sending one to itself. A cache trusts itself only while `healthy()`: when the listener's
connection breaks or stalls, caches are bypassed (and emptied) within `STALE_AFTER_SECONDS`,
however it broke (docs/decisions/0021-request-path-fixed-cost.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections

from paytungan.common.process import current_pid

CHANNEL = "paytungan_changes"
HEARTBEAT_SECONDS = 1.0
STALE_AFTER_SECONDS = 3.0
_HEARTBEAT = "h"

logger = logging.getLogger(__name__)

Subscriber = Callable[[str], None]


class ChangeListener:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._last_heartbeat = float("-inf")
        self._generation = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what caches use ----------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def healthy(self) -> bool:
        """Notices are known to arrive: one of our heartbeats came back lately. Starts the
        listener in this process on first use (gunicorn forks workers after import)."""
        self._ensure_started()
        return self._clock() - self._last_heartbeat < STALE_AFTER_SECONDS

    def generation(self) -> int:
        """Grows with every notice and reconnection: a value read before a database read that
        is unchanged after it means nothing the read saw has changed since it began."""
        return self._generation

    # --- the listener thread --------------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._pid == current_pid():
            return
        with self._lock:
            if self._pid == current_pid():
                return
            if connections["default"].vendor != "postgresql":
                self._pid = current_pid()  # nothing to listen to: never healthy
                return
            self._last_heartbeat = float("-inf")
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="db-changes", daemon=True)
            self._thread.start()
            self._pid = current_pid()

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._listen()
                backoff = 0.5
            except Exception as exc:  # any failure: caches off until notices flow again
                logger.warning("change listener lost its connection: %s", exc)
            self._mark_broken()
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 10.0)

    def _listen(self) -> None:
        import psycopg

        params = connections["default"].get_connection_params()
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._notice_all("*")  # whatever was cached before this connection is suspect
            next_beat = 0.0
            while not self._stop.is_set():
                now = self._clock()
                if now >= next_beat:
                    conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, _HEARTBEAT])
                    next_beat = now + HEARTBEAT_SECONDS
                for notice in conn.notifies(timeout=HEARTBEAT_SECONDS / 2):
                    self.deliver(notice.payload)

    def deliver(self, payload: str) -> None:
        if payload == _HEARTBEAT:
            self._last_heartbeat = self._clock()
            return
        self._notice_all(payload)

    def _notice_all(self, payload: str) -> None:
        self._generation += 1
        for subscriber in self._subscribers:
            subscriber(payload)

    def _mark_broken(self) -> None:
        self._last_heartbeat = float("-inf")
        self._notice_all("*")

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)
        self._pid = None


listener = ChangeListener()


def payload_ids(payload: str) -> tuple[str, Any]:
    """('u', 7) for 'u7', ('*', None) for everything."""
    if payload == "*" or len(payload) < 2:
        return "*", None
    try:
        return payload[0], int(payload[1:])
    except ValueError:
        return "*", None
