"""`manage.py backup`: the configured PostgreSQL database to one pg_dump custom-format file.

Custom format is compressed, and pg_restore can restore it selectively and in parallel. The
password goes to pg_dump through the environment (PGPASSWORD), never on its command line.
Cloud SQL keeps its own automated backups and point-in-time recovery; this is for copies an
operator takes before a risky change, or to move data between environments (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Django's own, and the settings' subclass of it (paytungan/common/postgres).
POSTGRES_ENGINES = ("django.db.backends.postgresql", "paytungan.common.postgres")


def libpq_env(db: Mapping[str, Any]) -> dict[str, str]:
    """PG* variables for pg_dump / pg_restore / psycopg from a Django DATABASES entry."""
    if db.get("ENGINE") not in POSTGRES_ENGINES:
        raise CommandError(
            f"backup and restore need PostgreSQL; this database is {db.get('ENGINE')!r} "
            "(set DATABASE_URL=postgres://...)"
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = db.get("OPTIONS") or {}
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        # ?host=/cloudsql/... (a Cloud SQL socket) lands in OPTIONS, not HOST.
        "PGHOST": db.get("HOST") or options.get("host"),
        "PGPORT": db.get("PORT") or options.get("port"),
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": str(options.get("connect_timeout", 10)),
    }
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} not found on PATH: install the PostgreSQL client tools")
    return path


def run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-5:]) or f"exit {result.returncode}"
        raise CommandError(f"{what} failed: {detail}")


class Command(BaseCommand):
    help = "Dump the database (pg_dump custom format) to --output (default var/backups/...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: var/backups/<ts>.dump)")

    def handle(self, *args: Any, **options: Any) -> None:
        env = libpq_env(settings.DATABASES["default"])
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        default = settings.REPO_DIR / "var" / "backups" / f"paytungan-{stamp}.dump"
        output = Path(options["output"] or default)
        if output.exists():
            raise CommandError(f"{output} already exists; choose another --output")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        try:
            run_tool(
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={partial}"],
                env, f"pg_dump of {env.get('PGDATABASE')}",
            )  # fmt: skip
            partial.rename(output)  # only a complete dump ever carries the final name
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"{output} ({output.stat().st_size} bytes)")
