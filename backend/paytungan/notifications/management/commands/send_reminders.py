from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from paytungan.notifications.jobs import send_reminders


class Command(BaseCommand):
    help = (
        "Email pending-payment reminders, balance reminders and weekly digests that are due; "
        "never twice for the same event (docs/decisions/0020-email-reminders.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in send_reminders().items():
            self.stdout.write(f"{name}: {count}")
