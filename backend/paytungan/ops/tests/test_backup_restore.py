"""manage.py backup / restore: a dump restored into a new database has the same balances."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg.conninfo import make_conninfo
from tools.seed.bulk import seed_group

from paytungan.common.testing import make_user
from paytungan.groups.models import Member
from paytungan.ops.management.commands.backup import libpq_env


def _conninfo(dbname: str) -> dict[str, str]:
    env = libpq_env(connection.settings_dict)
    info = {
        "dbname": dbname,
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
    }
    return {k: v for k, v in info.items() if v}


def _url(dbname: str) -> str:
    info = _conninfo(dbname)
    auth = info.get("user", "postgres") + (f":{info['password']}" if "password" in info else "")
    return f"postgres://{auth}@{info.get('host', 'localhost')}:{info.get('port', 5432)}/{dbname}"


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(make_conninfo(**_conninfo("postgres")), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(make_conninfo(**_conninfo("postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _balances(rows: list[tuple[int, int, int, int]]) -> dict[int, list[tuple[int, int, int]]]:
    by_group: dict[int, list[tuple[int, int, int]]] = {}
    for group_id, member_id, paid, owed in rows:
        by_group.setdefault(group_id, []).append((member_id, paid, owed))
    return by_group


@pytest.mark.django_db(transaction=True)  # the dump runs in another session: data must commit
def test_backup_then_restore_into_a_new_database_keeps_every_groups_balances(
    tmp_path: Path, empty_database: str
) -> None:
    owner = make_user(name="Ayu")
    for seed, (size, bill_count) in enumerate([(6, 120), (3, 15), (12, 300)], start=1):
        seed_group(owner=owner, members=size, bills=bill_count, seed=seed)
    members = Member.objects.order_by("group_id", "id")
    source = _balances(list(members.values_list("group_id", "id", "paid", "owed")))
    assert len(source) == 3
    assert all(any(paid for _, paid, _ in rows) for rows in source.values())

    dump = tmp_path / "paytungan.dump"
    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 0
    call_command("restore", str(dump), target_url=_url(empty_database))

    with psycopg.connect(make_conninfo(**_conninfo(empty_database))) as restored:
        rows = restored.execute(
            "SELECT group_id, id, paid, owed FROM groups_member ORDER BY group_id, id"
        ).fetchall()
        bills = restored.execute("SELECT count(*) FROM bills_bill").fetchone()
    assert _balances(rows) == source
    assert bills == (435,)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_already_has_tables(tmp_path: Path) -> None:
    dump = tmp_path / "x.dump"
    call_command("backup", output=str(dump))
    with pytest.raises(CommandError, match=r"already has \d+ tables.*--clean"):
        call_command("restore", str(dump))


def test_restore_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.dump"))


def test_backup_refuses_an_existing_output_file(tmp_path: Path) -> None:
    existing = tmp_path / "taken.dump"
    existing.write_bytes(b"")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(existing))


def test_backup_needs_postgresql() -> None:
    with pytest.raises(CommandError, match="need PostgreSQL"):
        libpq_env({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})


def test_a_cloud_sql_socket_url_reaches_pg_dump_as_pghost() -> None:
    env = libpq_env(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "paytungan",
            "USER": "app",
            "PASSWORD": "pw",
            "HOST": "",
            "OPTIONS": {"host": "/cloudsql/p:r:i"},
        }
    )
    assert (env["PGHOST"], env["PGDATABASE"], env["PGPASSWORD"]) == (
        "/cloudsql/p:r:i",
        "paytungan",
        "pw",
    )
