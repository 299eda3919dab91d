"""Several writes in one round trip: INSERTs built by Django's own compiler, sent together.

A write that inserts rows into several tables (a bill, its payers, shares and debts, the
activity row) would cost one round trip per table through the ORM. On PostgreSQL the
statements go as one, each but the last a data-modifying `WITH` part; they see one snapshot
and run as one statement, so they must not depend on each other's rows (foreign keys are
checked at commit: Django's are `DEFERRABLE INITIALLY DEFERRED`). Other databases (SQLite for
`make run`) run them one after the other, with the same effect.

The SQL comes from Django's insert compiler (field defaults, `auto_now`, JSON adaptation), so a
new model field needs no change here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.sql import InsertQuery, UpdateQuery

Statement = tuple[str, Sequence[Any]]

# Below PostgreSQL's 65,535 bind parameters per statement and SQLite's 32,766, with room.
MAX_PARAMS = 30_000


def insert_statements(objs: Sequence[Model]) -> list[Statement]:
    """The INSERTs for `objs` (one model, primary keys either all set or all left to the
    database), batched as bulk_create would batch them. Fills `auto_now` fields on the objects;
    marks them saved."""
    if not objs:
        return []
    model = type(objs[0])
    with_pk = objs[0].pk is not None
    if any((obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("set the primary key on every object or on none")
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    size = min(connection.ops.bulk_batch_size(fields, objs) or len(objs), MAX_PARAMS // len(fields))
    statements: list[Statement] = []
    for start in range(0, len(objs), size):
        query = InsertQuery(model)
        query.insert_values(fields, list(objs[start : start + size]))
        statements += query.get_compiler(connection=connection).as_sql()
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return statements


def insert_select(
    model: type[Model],
    objs: Sequence[Model],
    *,
    source: str,
    fixed: Mapping[str, str],
    many: bool,
) -> Statement:
    """The INSERT of `objs` (of `model`) as one part of a larger statement (PostgreSQL):
    `INSERT ... SELECT <fixed>, <values> FROM <source>`. The `fixed` columns are SQL
    expressions over `source` (e.g. the id that an earlier part of the statement returned), the
    same for every row; every other column is a parameter: one each for a single object
    (`many=False`), else one array each, unnested, so that the SQL text is the same for any
    number of rows (none included) and psycopg parses it once. The primary key, unless fixed,
    is left to its default. Values go through `pre_save` (`auto_now`, filled in on the objects)
    and `get_db_prep_save`, as Django's insert compiler does; the objects are marked saved."""
    if not many and len(objs) != 1:
        raise ValueError("many=False inserts exactly one object")
    sql, fields = _insert_select_sql(model, source, tuple(fixed.items()), many)
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    params: list[Any] = [[row[i] for row in rows] for i in range(len(fields))] if many else rows[0]
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return sql, params


@functools.cache
def _insert_select_sql(
    model: type[Model], source: str, fixed: tuple[tuple[str, str], ...], many: bool
) -> tuple[str, list[Field[Any, Any]]]:
    qn = connection.ops.quote_name
    names = dict(fixed)
    fields = [f for f in model._meta.concrete_fields if f.column not in names and not f.primary_key]
    columns = ", ".join(qn(c) for c in [*names, *(str(f.column) for f in fields)])
    exprs = list(names.values())
    if many:
        arrays = ", ".join(f"CAST(%s AS {f.db_type(connection)}[])" for f in fields)
        select = ", ".join([*exprs, "u.*"]) + f" FROM {source}, unnest({arrays}) AS u"
    else:
        casts = [f"CAST(%s AS {f.db_type(connection)})" for f in fields]
        select = ", ".join([*exprs, *casts]) + f" FROM {source}"
    table = qn(model._meta.db_table)
    # Names from the model; every value is a parameter.
    return f"INSERT INTO {table} ({columns}) SELECT {select}", fields


def update_statement(obj: Model, fields: Sequence[str] | None = None) -> Statement:
    """The UPDATE that `obj.save(update_fields=fields)` would send (all its fields when None),
    built by Django's compiler (`auto_now` filled in on the object), to send along with other
    statements."""
    meta = obj._meta
    chosen = [
        f
        for f in meta.concrete_fields
        if not f.primary_key and (fields is None or f.name in fields or f.attname in fields)
    ]
    query = type(obj)._base_manager.filter(pk=obj.pk).query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_fields([(f, None, f.pre_save(obj, add=False)) for f in chosen])
    sql, params = query.get_compiler(connection=connection).as_sql()
    return sql, params


def db_value(field: Field[Any, Any], value: Any) -> Any:
    """A value of `field` read by hand-written SQL, through the converters the ORM applies."""
    col = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
        value = convert(value, col, connection)
    return value


def run_together(statements: Sequence[Statement]) -> int:
    """Run the statements (independent writes) in as few round trips as the database allows
    (one, unless they carry more than MAX_PARAMS parameters); returns the row count of the
    last, so a write can send a checked UPDATE last."""
    if not statements:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for sql, params in statements:
                cursor.execute(sql, params)
            return int(cursor.rowcount)
        batch: list[Statement] = []
        count = 0
        for statement in statements:
            if batch and count + len(statement[1]) > MAX_PARAMS:
                _execute_with(cursor, batch)
                batch, count = [], 0
            batch.append(statement)
            count += len(statement[1])
        _execute_with(cursor, batch)
        return int(cursor.rowcount)


def _execute_with(cursor: Any, batch: Sequence[Statement]) -> None:
    *parts, (last_sql, last_params) = batch
    params: list[Any] = []
    heads = []
    for i, (sql, part_params) in enumerate(parts):
        heads.append(f"w{i} AS ({sql})")
        params += part_params
    sql = f"WITH {', '.join(heads)} {last_sql}" if heads else last_sql
    cursor.execute(sql, [*params, *last_params])


def with_parts(parts: Sequence[tuple[str, Statement]], final: Statement) -> Statement:
    """One statement of named parts (`WITH name AS (part), ...`) and a final query over them
    (PostgreSQL). Unlike `run_together`'s, parts may read each other's `RETURNING` rows by
    name: a part that selects from another runs after it, which is how a statement takes a
    lock first (every later part selecting from the locked row)."""
    heads = [f"{name} AS ({sql})" for name, (sql, _) in parts]
    params = [p for _, (_, part_params) in parts for p in part_params]
    return f"WITH {', '.join(heads)} {final[0]}", [*params, *final[1]]


# What a `checked_count` that failed its statement raises (SQLSTATE division_by_zero).
COUNT_CHECK_FAILED = "22012"


def checked_count(*, returned: str, counted: str, expected: int, strict: bool) -> Statement:
    """The final query of a `with_parts` statement: the `id` that part `returned` returned
    (NULL if none) and how many rows part `counted` returned. With `strict`, any other count
    than `expected` fails the whole statement (a division by zero, COUNT_CHECK_FAILED), so
    that nothing of it is kept even where it is its own transaction (autocommit)."""
    sql = (
        f'SELECT (SELECT "id" FROM {returned}), (SELECT count(*) FROM {counted}), '  # noqa: S608 - part names, not values
        f"1 / CAST((SELECT count(*) FROM {counted}) = %s OR %s AS integer)"
    )
    return sql, [expected, not strict]


def reserve_ids(model: type[Model], count: int) -> list[int] | None:
    """`count` fresh primary keys of `model` from its sequence (PostgreSQL; one query), so rows
    can be inserted together with rows that point at them. None where there is no sequence to
    ask (SQLite): save the parent rows first."""
    if connection.vendor != "postgresql" or count <= 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {next_id_sql(model)} FROM generate_series(1, %s)",  # noqa: S608 - names from the model
            [count],
        )
        return [int(row[0]) for row in cursor.fetchall()]


def next_id_sql(model: type[Model]) -> str:
    """SQL for the next primary key of `model` (PostgreSQL), to fold into another query."""
    meta = model._meta
    return f"nextval(pg_get_serial_sequence('{meta.db_table}', '{meta.pk.column}'))"


def models_from_row(models: Sequence[type[Model]], row: Sequence[Any]) -> list[Model | None]:
    """Instances of `models` from one row that holds each model's concrete columns in turn (as
    a hand-written join selects them), through the fields' database converters as the ORM
    would; None for a model whose columns are all NULL (the empty side of an outer join)."""
    out: list[Model | None] = []
    start = 0
    for model in models:
        fields = model._meta.concrete_fields
        values = list(row[start : start + len(fields)])
        start += len(fields)
        if all(v is None for v in values):
            out.append(None)
            continue
        values = [db_value(field, value) for field, value in zip(fields, values, strict=True)]
        out.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    return out
