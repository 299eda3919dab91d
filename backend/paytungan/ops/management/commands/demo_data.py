"""Create the demo account (and, as the product grows, its groups and bills). Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from paytungan.accounts.models import User

DEMO_EMAIL = "demo@paytungan.id"
DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - the published demo login of `make run`


class Command(BaseCommand):
    help = "Load demo data for `make run` (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"name": "Dewi Demo", "username": "dewi"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(f"demo user {DEMO_EMAIL} {'created' if created else 'exists'}")
