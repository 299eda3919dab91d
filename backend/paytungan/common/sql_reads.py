"""Hand-written SQL for the hottest reads, built from the models' own metadata (several
writes in one round trip are in common/sql.py).

Compiling an annotated queryset costs more CPU than the query itself on the request path
(docs/decisions/0009-request-path.md); these reads build their SQL once from the models, pass
every value as a parameter, and turn rows back into model instances with `from_db`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@functools.cache
def columns(model: type[Model], alias: str) -> tuple[list[str], str]:
    """The model's concrete fields (attnames, in order) and their quoted columns under `alias`.
    Computed once per model and alias (on every request otherwise); don't mutate the list."""
    fields = [f.attname for f in model._meta.concrete_fields]
    cols = ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)
    return fields, cols


def fetch_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one of the fixed hot reads, its statement kept prepared on the connection
    and read through the connection's one hot cursor where the backend can (PostgreSQL:
    common/postgres), else as any query."""
    prepared = getattr(connection, "prepared_cursor", None)
    if prepared is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    cursor = prepared()  # the connection's own, used again: not closed here
    cursor.execute(sql, params)
    return cursor.fetchall()


def json_datetime(column: str) -> str:
    """SQL for the text the API's encoder writes for a timestamptz column's value (ninja's,
    i.e. DjangoJSONEncoder: UTC, milliseconds truncated and only when there is a fraction,
    "Z"): "2026-11-20T10:00:00.123Z", "2026-11-20T10:00:00Z". Selected as text, the value
    skips psycopg's timestamp parsing in Python and the encoder's formatting in Python, a
    tenth of a hot read's time for one timestamp. `column` is SQL from the models' metadata,
    never a value (common/tests/test_sql_reads.py holds it to the encoder's output)."""
    if connection.vendor == "sqlite":
        # Django keeps SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return (
            f"substr({column}, 1, 10) || 'T' || substr({column}, 12, 8)"
            f" || CASE WHEN length({column}) > 19 THEN '.' || substr({column}, 21, 3) ELSE ''"
            " END || 'Z'"
        )
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN mod(extract(microseconds FROM {column})::bigint, 1000000) = 0 THEN ''"
        f" ELSE to_char({utc}, '.MS') END || 'Z'"
    )


def table(model: type[Model]) -> str:
    return f'"{model._meta.db_table}"'


def instance(model: type[M], fields: list[str], values: Sequence[Any]) -> M:
    return model.from_db(connection.alias, fields, values)
