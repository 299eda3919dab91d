"""Running per-member totals, changed in the same transaction as the bill or payment.

Rows are locked in member-id order before they are changed, so two transactions touching the
same members always queue in the same order and cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import F

from paytungan.groups.models import Member


def apply_balance_deltas(
    *, group_id: int, paid: Mapping[int, int] | None = None, owed: Mapping[int, int] | None = None
) -> None:
    paid = {k: v for k, v in (paid or {}).items() if v}
    owed = {k: v for k, v in (owed or {}).items() if v}
    ids = sorted(set(paid) | set(owed))
    if not ids:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_balance_deltas must run inside the state change's transaction")
    locked = list(
        Member.objects.select_for_update()
        .filter(group_id=group_id, pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(locked) != len(ids):
        raise RuntimeError(f"members {sorted(set(ids) - set(locked))} are not in group {group_id}")
    for member_id in ids:
        Member.objects.filter(pk=member_id).update(
            paid=F("paid") + paid.get(member_id, 0), owed=F("owed") + owed.get(member_id, 0)
        )
