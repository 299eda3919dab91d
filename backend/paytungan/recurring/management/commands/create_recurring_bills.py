from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paytungan.recurring.services import MAX_CATCH_UP, create_due_bills


class Command(BaseCommand):
    help = (
        "Create the bill of every due period of every active recurring bill (daily job). "
        "Idempotent: a period never makes two bills, however often or concurrently it runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="The date to run for (YYYY-MM-DD; default: today in the app's time zone).",
        )
        parser.add_argument("--max-catch-up", type=int, default=MAX_CATCH_UP)

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today: {options['today']!r} is not a date") from None
        if options["max_catch_up"] < 1:
            raise CommandError("--max-catch-up must be at least 1")
        report = create_due_bills(today=today, max_catch_up=options["max_catch_up"])
        for template_id, period, bill_id in report.created:
            self.stdout.write(f"created bill {bill_id} for recurring {template_id} ({period})")
        for template_id, period, error in report.failed:
            self.stdout.write(f"failed recurring {template_id} ({period}): {error}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.failed)} failed, "
            f"{report.skipped} skipped (older than the catch-up bound)"
        )
