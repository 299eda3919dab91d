"""Running per-member totals, changed in the same transaction as the bill or payment.

One UPDATE for all the members a change touches (`paid = paid + CASE id WHEN ... END`): the
caller holds the group lock (groups.locks), so writers of one group never hold member rows at
the same time and the order in which this statement locks its rows can't matter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Value, When

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
    paid = {k: v for k, v in (paid or {}).items() if v}
    owed = {k: v for k, v in (owed or {}).items() if v}
    moved = set(paid) | set(owed)
    ids = sorted(moved | set(active))
    if not ids:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_balance_deltas must run inside the state change's transaction")
    changes = {}
    if paid:
        changes["paid"] = F("paid") + _case(paid)
    if owed:
        changes["owed"] = F("owed") + _case(owed)
    if not changes:  # only an activeness check was asked for
        return Member.objects.filter(group_id=group_id, pk__in=ids, is_active=True).count()
    rows = Member.objects.filter(group_id=group_id, pk__in=ids)
    if active:
        rows = rows.exclude(pk__in=list(active), is_active=False)
    updated = rows.update(**changes)
    if not active and updated != len(ids):
        raise RuntimeError(f"members {ids} are not all in group {group_id}")
    return updated
