from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paytungan.alerts import delivery, spool
from paytungan.alerts.selectors import outbox_status


class Command(BaseCommand):
    help = (
        "Deliver the alert outbox to Discord: one pass with --once (a scheduled job), or a loop "
        "until SIGTERM. Alerts are normally delivered right after they arrive; this drains "
        "whatever is left (Discord outages, a replaced webhook)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="drain what is due, then exit")
        parser.add_argument(
            "--revive",
            action="store_true",
            help="clear dead marks first (after fixing a webhook without changing its URL)",
        )
        parser.add_argument(
            "--poll", type=float, default=5.0, help="longest sleep between passes (loop mode)"
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop = threading.Event()

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revive"]:
            self.stdout.write(f"revived {delivery.revive()} webhook(s)")
        if options["once"]:
            self._once()
        else:
            self._loop(options["poll"])

    def _once(self) -> None:
        delivery.prune()
        spool.ingest()
        result = delivery.drain()
        status = outbox_status()
        self.stdout.write(
            f"delivered {result.alerts} alert(s) in {result.delivered} message(s); "
            f"{status.pending} pending ({status.held} held to fold, "
            f"{status.on_dead_webhooks} on dead webhooks, {status.unrouted} with no webhook)"
        )
        if status.dead_webhooks:
            # A failed job run is itself a signal in Cloud Run's console and alerting.
            raise CommandError(
                f"dead Discord webhook(s): {', '.join(status.dead_webhooks)}; alerts are kept. "
                "Replace the URL (docs/operations.md, runbook 'webhook dead')."
            )

    def _loop(self, poll: float) -> None:
        stop = self.stop
        if threading.current_thread() is threading.main_thread():
            # Finish the pass in hand on SIGTERM (Cloud Run gives 10 s): each answer is
            # committed as it comes; a row claimed but not sent is sent after its lease.
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write("delivering alerts; SIGTERM to stop")
        passes = 0
        while not stop.is_set():
            if passes % 720 == 0:  # about hourly at the default poll
                delivery.prune()
            passes += 1
            spool.ingest()
            result = delivery.drain()
            if result.alerts:
                self.stdout.write(f"delivered {result.alerts} alert(s)")
            wait = delivery.next_due_in()
            stop.wait(poll if wait is None else min(max(wait, 0.05), poll))
