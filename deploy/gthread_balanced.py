"""gunicorn's gthread worker, spreading new connections across the workers of an instance.

The workers of one gunicorn share one listening socket, and whichever is awake first accepts.
A burst of new connections (a load balancer opening its pool, a client reconnecting) can all
land on one worker while another sleeps: measured with 16 connections over 2 workers x 4
threads, one run in four put all 16 on one worker, and as connections are kept alive, the
instance then served at one worker's rate, with a core idle, until they closed (half the
throughput: 1,200-1,600 against 3,000-3,500 req/s, docs/benchmarks.md, "Request path").

So a worker that already holds as many connections as it has threads steps back from accepting
for ACCEPT_PAUSE after each connection it takes, and a worker with room takes the next one.
It is a preference, not a limit: when every worker is full, each goes on accepting, one
connection per pause, so no connection waits longer than that for a worker.

Only gunicorn is imported here: the master loads the class before Django (worker_class in
deploy/gunicorn.conf.py, which puts this directory on the path). Outside the app's package, so
a benchmark can serve another checkout's app (or bare Django) with the same worker.
"""

from __future__ import annotations

import time
from typing import Any

from gunicorn.workers import gthread

# Long enough for a sleeping worker to be scheduled and accept on a busy machine, short enough
# to add little to a new connection's first request when every worker is full.
ACCEPT_PAUSE = 0.005


class ThreadWorker(gthread.ThreadWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._accept_paused_until = 0.0

    def accept(self, listener: Any) -> None:
        super().accept(listener)
        if self.nr_conns >= self.cfg.threads:
            self._accept_paused_until = time.monotonic() + ACCEPT_PAUSE
            super().set_accept_enabled(False)

    def set_accept_enabled(self, enabled: bool) -> None:
        # The run loop enables accepting again on every pass while there is room; not before
        # the pause is over.
        if enabled and time.monotonic() < self._accept_paused_until:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        # Wake when the pause ends, so accepting resumes then even if nothing else happens.
        if self.alive and not self._accepting:
            remaining = self._accept_paused_until - time.monotonic()
            if remaining > 0:
                timeout = min(timeout, remaining)
        super().wait_for_and_dispatch_events(timeout)
