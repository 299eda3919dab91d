from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from paytungan.ops.prune import prune_expired


class Command(BaseCommand):
    help = (
        "Delete expired idempotency keys (24 h), sessions, invites, throttle counters, old usage "
        "rows and email delivery-log rows past their idempotency horizon."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in prune_expired().items():
            self.stdout.write(f"{name}: {count} deleted")
