"""`manage.py restore FILE [--target-url postgres://...] [--clean]`: a `backup` file into a DB.

The target is --target-url, else the configured DATABASE_URL. A target that already has tables is
refused unless --clean (which drops the objects in the dump first). The restore runs in one
transaction with --exit-on-error: it applies whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg.conninfo import make_conninfo

from paytungan.ops.management.commands.backup import libpq_env, pg_tool, run_tool


def target_settings(url: str | None) -> dict[str, Any]:
    if not url:
        return dict(settings.DATABASES["default"])
    try:
        return dict(dj_database_url.parse(url))
    except ValueError as exc:
        raise CommandError(f"--target-url: {exc}") from None


def table_count(env: dict[str, str]) -> int:
    conninfo = {
        "dbname": env.get("PGDATABASE"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "connect_timeout": env.get("PGCONNECT_TIMEOUT", "10"),
    }
    try:
        dsn = make_conninfo(**{k: v for k, v in conninfo.items() if v})
        with psycopg.connect(dsn) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
    except psycopg.Error as exc:
        raise CommandError(f"cannot connect to the target database: {exc}".strip()) from None
    return int(row[0]) if row else 0


class Command(BaseCommand):
    help = "Restore a `backup` file (pg_dump custom format) into --target-url or DATABASE_URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--target-url", help="postgres://... (default: DATABASE_URL)")
        parser.add_argument(
            "--clean", action="store_true", help="drop the dump's objects in the target first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dump = Path(options["file"])
        if not dump.is_file():
            raise CommandError(f"{dump}: no such backup file")
        env = libpq_env(target_settings(options["target_url"]))
        tables = table_count(env)
        if tables and not options["clean"]:
            raise CommandError(
                f"the target database {env.get('PGDATABASE')!r} already has {tables} tables: "
                "restore into an empty database, or pass --clean to replace its contents"
            )
        cmd = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={env.get('PGDATABASE', '')}"]  # fmt: skip
        if options["clean"]:
            cmd += ["--clean", "--if-exists"]
        run_tool([*cmd, str(dump)], env, f"pg_restore into {env.get('PGDATABASE')}")
        self.stdout.write(f"restored {dump} into {env.get('PGDATABASE')}")
