from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paytungan.ops.usage import report
from paytungan.ops.usage.recorder import recorder


class Command(BaseCommand):
    help = "Usage per day (requests, errors, bytes, active users) and the top routes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="how many days back (14)")
        parser.add_argument("--top", type=int, default=10, help="how many routes to list (10)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1 or options["top"] < 0:
            raise CommandError("--days must be at least 1 and --top at least 0")
        recorder.flush()  # this process's own counts, if any (none, normally)
        days = report.usage_days(days=options["days"])
        out = self.stdout.write
        out(f"{'day':<12}{'requests':>10}{'5xx':>7}{'in':>11}{'out':>11}{'users':>8}")
        for d in days:
            out(
                f"{d.day.isoformat():<12}{d.requests:>10}{d.errors:>7}"
                f"{report.human_bytes(d.bytes_in):>11}{report.human_bytes(d.bytes_out):>11}"
                f"{d.active_users:>8}"
            )
        total = sum(d.requests for d in days)
        out(f"{'total':<12}{total:>10}{sum(d.errors for d in days):>7}")
        if options["top"]:
            out("")
            out(f"top routes, last {options['days']} days")
            for row in report.top_routes(days=options["days"], limit=options["top"]):
                out(f"{row.requests:>10} {row.share:>6.1%}  {row.route}")
