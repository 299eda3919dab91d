from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paytungan.ops.capacity_seed import seed_capacity

DEFAULT_PASSWORD = "capacity-password-2026"  # noqa: S105 - load-test accounts on test databases


class Command(BaseCommand):
    help = (
        "Seed load-test users (sessions, tokens), groups and bills; write the accounts file "
        "capacity/locustfile.py reads. Repeatable with --seed; a second run reuses the data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=1000)
        parser.add_argument("--groups", type=int, default=500)
        parser.add_argument("--bills-median", type=int, default=30, help="bills in a typical group")
        parser.add_argument("--bills-max", type=int, default=400, help="bills in the largest")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--out", default="var/capacity/accounts.json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["users"] < 2 or options["groups"] < 1:
            raise CommandError("need --users >= 2 and --groups >= 1")
        if not 1 <= options["bills_median"] <= options["bills_max"]:
            raise CommandError("need 1 <= --bills-median <= --bills-max")
        started = time.monotonic()
        accounts = seed_capacity(
            users=options["users"],
            groups=options["groups"],
            bills_median=options["bills_median"],
            bills_max=options["bills_max"],
            seed=options["seed"],
            password=options["password"],
            progress=lambda line: self.stderr.write(f"seed_capacity: {line}"),
        )
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        # Sessions and tokens of a test database: readable by this user only.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(
                {"password": options["password"], "accounts": [asdict(a) for a in accounts]}, fh
            )
        self.stderr.write(f"seed_capacity: done in {time.monotonic() - started:.1f}s")
        self.stdout.write(str(out))
