"""One process's usage counters, kept in memory and written to the daily tables in batches.

The request path only updates a dict under a lock (no query). A daemon thread writes a batch
every USAGE_FLUSH_SECONDS, sooner once USAGE_FLUSH_REQUESTS requests are waiting, and once more
at exit. It starts with the first request a process counts (in a gunicorn worker: after the
fork).

Failures never spin: sizes are clamped when a request is counted (a client chooses its own
Content-Length), rows the database refuses for their data are dropped with one warning rather
than put back for ever, and after any other failure the thread backs off (doubling, capped) and
is not woken early, whatever the request rate.

Under Django's test environment the thread never starts: tests flush explicitly with
`recorder.flush()`, and nothing writes behind their back or after their database is gone.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from datetime import date

from django.conf import settings
from django.core import mail
from django.db import connections

from paytungan.common.process import current_pid
from paytungan.ops.usage import store
from paytungan.ops.usage.batch import DATA_ERRORS, Batch

logger = logging.getLogger("paytungan.usage")

# One request's bytes as counted: 4 GiB is far above any body or response this API moves, and
# 2**31 such requests on one route in one day still fit the bigint columns.
MAX_REQUEST_BYTES = 2**32
# The longest pause after failed flushes, in seconds (or USAGE_FLUSH_SECONDS if longer).
MAX_BACKOFF_SECONDS = 300


def clamp_bytes(value: int) -> int:
    return min(max(value, 0), MAX_REQUEST_BYTES)


class Aggregator:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batch = Batch()

    def add(
        self,
        *,
        day: date,
        route: str,
        error: bool,
        bytes_in: int,
        bytes_out: int,
        user_id: int | None,
    ) -> int:
        """Count one request; returns how many were counted since the last flush began."""
        with self._lock:
            batch = self._batch
            counts = batch.routes.get((day, route))
            if counts is None:
                counts = batch.routes[(day, route)] = [0, 0, 0, 0]
            counts[0] += 1
            counts[1] += error
            counts[2] += bytes_in
            counts[3] += bytes_out
            if user_id is not None:
                batch.users.add((day, user_id))
            batch.requests += 1
            batch.fresh += 1
            return batch.fresh

    def drain(self) -> Batch:
        with self._lock:
            batch, self._batch = self._batch, Batch()
        return batch

    def restore(self, old: Batch) -> None:
        """Put back a batch whose write failed, so the next flush carries it."""
        with self._lock:
            for key, counts in old.routes.items():
                mine = self._batch.routes.setdefault(key, [0, 0, 0, 0])
                for i, value in enumerate(counts):
                    mine[i] += value
            self._batch.users |= old.users
            self._batch.requests += old.requests


def _test_environment() -> bool:
    # django.test.utils.setup_test_environment (pytest-django, manage.py test) adds the outbox.
    return hasattr(mail, "outbox")


class Clock:
    """Time as the flush thread sees it. Tests inject one that moves only when told, so a
    back-off is judged by the clock, not by how long a loaded machine takes."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Recorder:
    def __init__(self, *, background: bool | None = None, clock: Clock | None = None) -> None:
        """background: write from a thread; None means "unless under the test environment"."""
        self.background = background
        self.clock = clock or Clock()
        self.pending = Aggregator()
        self._wake = threading.Event()
        self._thread_pid: int | None = None
        self._start_lock = threading.Lock()
        self._failures = 0  # consecutive failed background flushes
        self._quiet_until = 0.0  # clock.monotonic() before which requests do not wake the thread

    def record(
        self,
        *,
        day: date,
        route: str,
        status: int,
        bytes_in: int,
        bytes_out: int,
        user_id: int | None,
    ) -> None:
        waiting = self.pending.add(
            day=day,
            route=route,
            error=status >= 500,
            bytes_in=clamp_bytes(bytes_in),
            bytes_out=clamp_bytes(bytes_out),
            user_id=user_id,
        )
        background = self.background
        if background is None:
            background = not _test_environment()
        if background:
            self._ensure_thread()
            quiet = self.clock.monotonic() < self._quiet_until
            if waiting >= settings.USAGE_FLUSH_REQUESTS and not quiet:
                self._wake.set()

    def flush(self) -> int:
        """Write what is waiting; returns the number of requests written."""
        batch = self.pending.drain()
        if not batch:
            return 0
        try:
            try:
                store.write(batch)
            except DATA_ERRORS:
                # Some row can never be written: write the others one by one, drop the rest.
                refused = store.write_rows_apart(batch)
                logger.warning(
                    "usage flush: the database refused %d row(s) for their values; dropped: %s",
                    len(refused),
                    ", ".join(refused[:10]),
                )
        except Exception:
            self.pending.restore(batch)
            raise
        return batch.requests

    def flush_quietly(self) -> bool:
        """flush() for the thread and at exit: logs a failure instead of raising it."""
        try:
            self.flush()
        except Exception:
            logger.warning(
                "usage flush failed; the counts are kept for the next one", exc_info=True
            )
            return False
        finally:
            # This thread's connection only: the app's connection budget is workers x threads.
            connections.close_all()
        return True

    def backoff_seconds(self) -> float:
        """The pause after the latest of `_failures` consecutive failed flushes."""
        cap = max(MAX_BACKOFF_SECONDS, settings.USAGE_FLUSH_SECONDS)
        return float(min(2 ** min(self._failures, 30), cap))

    def _ensure_thread(self) -> None:
        pid = current_pid()
        if self._thread_pid == pid:
            return
        with self._start_lock:
            if self._thread_pid == pid:
                return
            threading.Thread(target=self._run, name="usage-flush", daemon=True).start()
            atexit.register(self.flush_quietly)
            self._thread_pid = pid

    def _run(self) -> None:
        while True:
            self._wake.wait(settings.USAGE_FLUSH_SECONDS)
            self._flush_or_back_off()

    def _flush_or_back_off(self) -> None:
        """What the thread does each time it wakes: flush; after a failure, pause for the
        back-off, during which requests do not wake it."""
        self._wake.clear()
        if self.flush_quietly():
            self._failures = 0
            return
        self._failures += 1
        pause = self.backoff_seconds()
        self._quiet_until = self.clock.monotonic() + pause
        self.clock.sleep(pause)  # not the wake event: requests cannot cut a back-off short
        self._wake.clear()


recorder = Recorder()
