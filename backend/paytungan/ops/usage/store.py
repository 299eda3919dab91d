"""Writing a batch: one additive upsert per 1,000 routes, one insert-or-ignore for the users.

Rows are written in key order so two workers flushing at once lock them in the same order and
cannot deadlock. `INSERT ... ON CONFLICT ... DO UPDATE` is the same SQL on PostgreSQL and SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from paytungan.ops.usage.batch import DATA_ERRORS, Batch
from paytungan.ops.usage.models import UsageDay, UsageUser

CHUNK = 1000
_COUNTS = ("requests", "errors", "bytes_in", "bytes_out")


def _upsert_sql(rows: int) -> str:
    q = connection.ops.quote_name
    table = q(UsageDay._meta.db_table)
    columns = ", ".join(q(c) for c in ("day", "route", *_COUNTS))
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * rows)
    adds = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in _COUNTS)
    # Only quoted model names and placeholders are formatted in; the values are parameters.
    return (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({q('day')}, {q('route')}) DO UPDATE SET {adds}"
    )


def write(batch: Batch) -> None:
    routes = sorted(batch.routes.items())
    users = sorted(batch.users)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(routes), CHUNK):
            chunk = routes[start : start + CHUNK]
            params: list[Any] = []
            for (day, route), counts in chunk:
                params += [day, route, *counts]
            cursor.execute(_upsert_sql(len(chunk)), params)
        UsageUser.objects.bulk_create(
            (UsageUser(day=day, user_id=uid) for day, uid in users),
            ignore_conflicts=True,
            batch_size=CHUNK,
        )


def write_rows_apart(batch: Batch) -> list[str]:
    """Write each route row on its own savepoint after the batch as a whole was refused for its
    data (a count past bigint's range): the rows the database accepts are kept, the others are
    dropped. Returns the refused rows as "day route" labels."""
    refused: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for (day, route), counts in sorted(batch.routes.items()):
            try:
                with transaction.atomic():
                    cursor.execute(_upsert_sql(1), [day, route, *counts])
            except DATA_ERRORS:
                refused.append(f"{day} {route}")
        try:
            with transaction.atomic():
                UsageUser.objects.bulk_create(
                    (UsageUser(day=day, user_id=uid) for day, uid in sorted(batch.users)),
                    ignore_conflicts=True,
                    batch_size=CHUNK,
                )
        except DATA_ERRORS:
            refused.append(f"{len(batch.users)} active-user row(s)")
    return refused
