"""Running per-member totals, changed in the same transaction as the bill or payment.

One set-based UPDATE for all the members a change touches (`UPDATE ... FROM (VALUES (id, paid
delta, owed delta, must be active), ...)`): the caller holds the group lock (groups.locks), so
writers of one group never hold member rows at the same time and the order in which this
statement locks its rows can't matter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db import connection, transaction

from paytungan.common.sql import Statement
from paytungan.groups.models import Member


def apply_balance_deltas(
    *,
    group_id: int,
    paid: Mapping[int, int] | None = None,
    owed: Mapping[int, int] | None = None,
    active: Collection[int] = (),
) -> int:
    """Add the deltas to the members' totals in one statement. Members in `active` are
    updated only while active (with a zero delta if they have none), so the write also proves
    they still are: the return value is how many rows matched, and the caller refuses the
    change if it is short. Without `active`, a member not in the group is a programming error."""
    statement = balance_statement(group_id=group_id, paid=paid, owed=owed, active=active)
    if statement is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        updated = int(cursor.rowcount)
    expected = rows_named(paid=paid, owed=owed)
    if not active and updated != expected:
        raise RuntimeError(f"members moved {updated} of {expected}: not all in group {group_id}")
    return updated


def balance_statement(
    *,
    group_id: int,
    paid: Mapping[int, int] | None = None,
    owed: Mapping[int, int] | None = None,
    active: Collection[int] = (),
) -> Statement | None:
    """The UPDATE of `apply_balance_deltas`, for a write that sends it last along with its
    other rows (common.sql.run_together returns its row count); None when nothing moves."""
    paid = _nonzero(paid)
    owed = _nonzero(owed)
    must = set(active)
    ids = sorted(set(paid) | set(owed) | must)
    if not ids:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("balance updates must run inside the state change's transaction")
    qn = connection.ops.quote_name
    table = qn(Member._meta.db_table)
    # Typed once in the first row; SQLite and PostgreSQL both name the columns column1..4.
    first = "(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS bigint), %s)"
    values = ", ".join([first] + ["(%s, %s, %s, %s)"] * (len(ids) - 1))
    params: list[object] = []
    for mid in ids:
        params += [mid, paid.get(mid, 0), owed.get(mid, 0), mid in must]
    params.append(group_id)
    sql = (
        f"UPDATE {table} AS m SET {qn('paid')} = m.{qn('paid')} + v.column2, "  # noqa: S608 - names from the model
        f"{qn('owed')} = m.{qn('owed')} + v.column3 "
        f"FROM (VALUES {values}) AS v "
        f"WHERE m.{qn('id')} = v.column1 AND m.{qn('group_id')} = %s "
        f"AND (m.{qn('is_active')} OR NOT v.column4)"
    )
    return sql, params


def balance_part(
    *,
    source: str,
    group_sql: str,
    paid: Mapping[int, int] | None = None,
    owed: Mapping[int, int] | None = None,
    active: Collection[int] = (),
) -> Statement:
    """The UPDATE of `balance_statement` as a part of a larger statement (PostgreSQL): joined
    to `source`, whose `group_sql` is the group's id (e.g. the row the statement locked, so
    that no member row is locked before it), the deltas as arrays (the SQL text is the same
    for any number of members), `RETURNING` one row per member moved, for the statement to
    count."""
    ids, paid_col, owed_col, must_col = _columns(paid=paid, owed=owed, active=active)
    qn = connection.ops.quote_name
    table = qn(Member._meta.db_table)
    paid_q, owed_q = qn("paid"), qn("owed")
    sql = (
        f"UPDATE {table} AS m SET {paid_q} = m.{paid_q} + v.paid, "  # noqa: S608 - names from the model
        f"{owed_q} = m.{owed_q} + v.owed FROM {source}, unnest(CAST(%s AS bigint[]), "
        "CAST(%s AS bigint[]), CAST(%s AS bigint[]), CAST(%s AS boolean[])) "
        "AS v(id, paid, owed, must) "
        f"WHERE m.{qn('id')} = v.id AND m.{qn('group_id')} = {group_sql} "
        f"AND (m.{qn('is_active')} OR NOT v.must) RETURNING m.{qn('id')}"
    )
    return sql, [ids, paid_col, owed_col, must_col]


def _columns(
    *,
    paid: Mapping[int, int] | None,
    owed: Mapping[int, int] | None,
    active: Collection[int],
) -> tuple[list[int], list[int], list[int], list[bool]]:
    paid = _nonzero(paid)
    owed = _nonzero(owed)
    must = set(active)
    ids = sorted(set(paid) | set(owed) | must)
    return (
        ids,
        [paid.get(i, 0) for i in ids],
        [owed.get(i, 0) for i in ids],
        [i in must for i in ids],
    )


def rows_named(
    *,
    paid: Mapping[int, int] | None = None,
    owed: Mapping[int, int] | None = None,
    active: Collection[int] = (),
) -> int:
    """How many member rows the UPDATE names: its row count equals this exactly when every
    member in `active` still is (and every other one is in the group)."""
    return len(set(_nonzero(paid)) | set(_nonzero(owed)) | set(active))


def _nonzero(deltas: Mapping[int, int] | None) -> dict[int, int]:
    return {k: v for k, v in (deltas or {}).items() if v}
