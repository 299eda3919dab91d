"""Running per-member totals, changed in the same transaction as the bill or payment.

One UPDATE for all the members a change touches (`paid = paid + CASE id WHEN ... END`): the
caller holds the group lock (groups.locks), so writers of one group never hold member rows at
the same time and the order in which this statement locks its rows can't matter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.db.models.sql import UpdateQuery

from paytungan.common.sql import Statement
from paytungan.groups.models import Member


def _case(deltas: Mapping[int, int]) -> Case:
    return Case(
        *(When(pk=member_id, then=Value(delta)) for member_id, delta in sorted(deltas.items())),
        default=Value(0),
        output_field=BigIntegerField(),
    )


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
    expected = len(set(_nonzero(paid)) | set(_nonzero(owed)))
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
    ids = sorted(set(paid) | set(owed) | set(active))
    if not ids:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("balance updates must run inside the state change's transaction")
    changes: dict[str, Any] = {}
    if paid:
        changes["paid"] = F("paid") + _case(paid)
    if owed:
        changes["owed"] = F("owed") + _case(owed)
    if not changes:  # only an activeness check was asked for: lock and count the rows
        changes["paid"] = F("paid")
    rows = Member.objects.filter(group_id=group_id, pk__in=ids)
    if active:
        rows = rows.exclude(pk__in=list(active), is_active=False)
    query = rows.query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_values(changes)
    sql, params = query.get_compiler(connection=connection).as_sql()
    return sql, params


def _nonzero(deltas: Mapping[int, int] | None) -> dict[int, int]:
    return {k: v for k, v in (deltas or {}).items() if v}
