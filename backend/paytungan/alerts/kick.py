"""Starting delivery right after an alert is stored, without making the webhook wait for it.

One background thread per process at most: a kick while it runs only asks it for another pass.
It drains what is due, lingers while a retry is due soon (a short Discord hiccup), then exits
and closes its database connection. Anything left (a long outage, a dead webhook) is drained by
`manage.py deliver_alerts`, scheduled or looping, so a missed kick only delays, never loses.

When the process ends (gunicorn's graceful stop on a deploy or a scale-in runs the interpreter's
exit handlers; the thread is a daemon and would die mid-send), stop_delivery lets the message
in flight record Discord's answer and hands the other claimed rows back, so a restart neither
re-sends it nor waits out the leases.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.db import connections

from paytungan.alerts import delivery, spool
from paytungan.alerts.delivery import drain, next_due_in

logger = logging.getLogger("paytungan.alerts")

LINGER_SECONDS = 30.0  # wait in the thread for a retry due this soon; later ones are the job's
MAX_RUN_SECONDS = 120.0  # a thread never outlives this, whatever keeps arriving
# How long an ending process waits for the send in flight: above Discord's default timeout (5 s)
# would pass gunicorn's graceful timeout (8 s) and Cloud Run's SIGKILL (10 s) anyway.
STOP_SECONDS = 6.0


class Kicker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._wake = threading.Event()  # cuts a linger short when a new alert arrives
        self._idle = threading.Event()
        self._idle.set()
        self._generation = 0  # which thread is the current one
        self._stopped = False

    def kick(self) -> None:
        with self._lock:
            if self._stopped:
                return  # the process is ending: the job or the next instance delivers
            if self._running:
                self._again = True
                self._wake.set()
                return
            self._running = True
            self._again = False
            self._idle.clear()
            self._generation += 1
            generation = self._generation
        threading.Thread(
            target=self._run, args=(generation,), name="alert-delivery", daemon=True
        ).start()

    def stop(self, timeout: float) -> bool:
        """Ends delivery in this process after the message in flight; True once stopped."""
        with self._lock:
            self._stopped = True
            self._wake.set()
        delivery.stopping.set()
        return self._idle.wait(timeout)

    def wait_idle(self, timeout: float) -> bool:
        """For tests and shutdown: True once no delivery thread runs."""
        return self._idle.wait(timeout)

    def _run(self, generation: int) -> None:
        try:
            self._loop(time.monotonic() + MAX_RUN_SECONDS)
        finally:
            connections.close_all()  # this thread's connections; nobody else would close them
            with self._lock:
                current = self._generation == generation  # else a newer thread owns the flags
                again = current and self._again  # alerts stored after the deadline stopped us
                if current:
                    self._running = False
                    if not again or self._stopped:
                        self._idle.set()
            if again or _spooled():
                self.kick()  # spooled alerts: keep trying until the database takes them

    def _loop(self, deadline: float) -> None:
        while True:
            try:
                spool.ingest()
                drain(deadline=deadline)
                wait = next_due_in()
            except Exception:
                logger.exception("alert delivery pass failed; deliver_alerts will retry")
                wait = None
            if _spooled():
                wait = spool.RETRY_SECONDS if wait is None else min(wait, spool.RETRY_SECONDS)
            with self._lock:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopped:
                    return
                if self._again:
                    self._again = False
                    self._wake.clear()
                    continue
                if wait is None or wait > min(LINGER_SECONDS, remaining):
                    # Marked stopped under the lock, so a kick from now on starts a new thread.
                    self._running = False
                    return
                self._wake.clear()
            self._wake.wait(wait)


def _spooled() -> bool:
    try:
        return bool(spool.pending())
    except OSError:
        return False


_kicker = Kicker()


def kick_delivery() -> None:
    _kicker.kick()


def wait_idle(timeout: float = 10.0) -> bool:
    return _kicker.wait_idle(timeout)


def stop_delivery(timeout: float = STOP_SECONDS) -> bool:
    return _kicker.stop(timeout)


# Exit handlers run while daemon threads still live (after non-daemon threads are joined).
atexit.register(lambda: stop_delivery())
