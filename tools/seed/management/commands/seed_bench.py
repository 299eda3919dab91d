from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paytungan.accounts.models import User
from paytungan.accounts.tokens import token_create
from tools.seed.bulk import seed_group


class Command(BaseCommand):
    help = "Seed one large group for benchmarks (repeatable with --seed); prints a bearer token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=50)
        parser.add_argument("--bills", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--email", default="bench@paytungan.local")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["members"] < 2 or options["bills"] < 0:
            self.stderr.write("need --members >= 2 and --bills >= 0")
            sys.exit(2)
        owner, _ = User.objects.get_or_create(email=options["email"], defaults={"name": "Bench"})
        started = time.monotonic()

        def progress(done: int) -> None:
            self.stderr.write(f"\r{done}/{options['bills']} bills", ending="")

        seeded = seed_group(
            owner=owner,
            members=options["members"],
            bills=options["bills"],
            seed=options["seed"],
            progress=progress,
        )
        _, secret = token_create(user=owner, name="bench")
        self.stderr.write(f"\nseeded in {time.monotonic() - started:.1f}s")
        self.stdout.write(f"GROUP_ID={seeded.group_id}\nTOKEN={secret}")
