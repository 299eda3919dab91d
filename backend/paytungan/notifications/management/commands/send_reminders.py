from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paytungan.notifications.jobs import send_reminders


class Command(BaseCommand):
    help = (
        "Email pending-payment reminders, balance reminders and weekly digests that are due; "
        "never twice for the same event (docs/decisions/0020-email-reminders.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Run as if it were this ISO 8601 time with an offset (tests, rehearsals); "
            "the delivery log still keeps every email to once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now {options['now']!r} is not an ISO 8601 time") from None
            if now.tzinfo is None:
                raise CommandError("--now needs an offset, e.g. 2026-12-02T10:00:00+07:00")
        for name, count in send_reminders(now=now).items():
            self.stdout.write(f"{name}: {count}")
