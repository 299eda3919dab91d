"""`python -m capacity.planner.seed_command`: seed load-test data and write the accounts file
capacity/locustfile.py reads. Run from the repository root with the app's environment
(DATABASE_URL, SECRET_KEY, ...), against a test or staging database, never production.

A script rather than a `manage.py` command so that the seeding code stays out of the deployed
package: it configures Django itself, then imports the seeding module (which needs the models).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

DEFAULT_PASSWORD = "capacity-password-2026"  # noqa: S105 - load-test accounts on test databases


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="capacity.planner.seed_command", description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--bills-median", type=int, default=30, help="bills in a typical group")
    parser.add_argument("--bills-max", type=int, default=400, help="bills in the largest")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--out", default="var/capacity/accounts.json")
    return parser


def _django() -> None:
    backend = Path(__file__).resolve().parents[2] / "backend"
    if str(backend) not in sys.path:
        sys.path.insert(0, str(backend))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    if options.users < 2 or options.groups < 1:
        sys.stderr.write("seed: need --users >= 2 and --groups >= 1\n")
        return 2
    if not 1 <= options.bills_median <= options.bills_max:
        sys.stderr.write("seed: need 1 <= --bills-median <= --bills-max\n")
        return 2
    _django()
    from capacity.planner.seed import seed_capacity  # needs the configured Django apps

    def say(line: str) -> None:
        sys.stderr.write(f"seed: {line}\n")

    started = time.monotonic()
    accounts = seed_capacity(
        users=options.users,
        groups=options.groups,
        bills_median=options.bills_median,
        bills_max=options.bills_max,
        seed=options.seed,
        password=options.password,
        progress=say,
    )
    out = Path(options.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Sessions and tokens of a test database: readable by this user only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"password": options.password, "accounts": [asdict(a) for a in accounts]}, fh)
    sys.stderr.write(f"seed: done in {time.monotonic() - started:.1f}s\n")
    sys.stdout.write(f"{out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
