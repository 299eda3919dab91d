"""Test helpers for bills, shared with other apps' tests: request bodies, the URL scheme and
the bills' balance oracle.

body = equal_bill(payer=m[ayu], members=[m[ayu], m["Budi"]], total="300000")
bill = client.post(bills_url(group), body).json
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from paytungan.bills.models import BillPayer, BillShare
from paytungan.groups.models import Group, Member


def bills_url(group: Group | int, bill_id: int | None = None, suffix: str = "") -> str:
    gid = group if isinstance(group, int) else group.pk
    url = f"/api/groups/{gid}/bills"
    if bill_id is not None:
        url += f"/{bill_id}"
    return url + suffix


def _id(member: Member | int) -> int:
    return member if isinstance(member, int) else member.pk


def equal_bill(
    *,
    payer: Member | int,
    members: Iterable[Member | int],
    total: str,
    title: str = "Makan malam",
    **extra: Any,
) -> dict[str, Any]:
    """One payer, split equally."""
    return {
        "title": title,
        "payers": [{"member_id": _id(payer), "amount": total}],
        "split": {"mode": "equal", "members": [{"member_id": _id(m)} for m in members]},
        "total": total,
        **extra,
    }


def exact_bill(
    *,
    payer: Member | int,
    amounts: Mapping[Member, str] | Mapping[int, str] | Iterable[tuple[Member | int, str]],
    total: str,
    title: str = "Belanja",
    **extra: Any,
) -> dict[str, Any]:
    pairs = amounts.items() if isinstance(amounts, Mapping) else amounts
    return {
        "title": title,
        "payers": [{"member_id": _id(payer), "amount": total}],
        "split": {
            "mode": "exact",
            "members": [{"member_id": _id(m), "value": v} for m, v in pairs],
        },
        "total": total,
        **extra,
    }


def bill_balance_oracle(*, group_id: int) -> dict[int, tuple[int, int]]:
    """(paid, owed) per member of the group from live bills alone, as one SQL aggregate.

    Member.paid/owed are running totals kept by the services; this recomputes the bills' part
    from the rows, for tests and invariants checks (confirmed payments add their own part).
    """
    live_payers = BillPayer.objects.filter(member=OuterRef("pk"), bill__deleted_at__isnull=True)
    live_shares = BillShare.objects.filter(member=OuterRef("pk"), bill__deleted_at__isnull=True)
    zero = Value(0, output_field=IntegerField())
    rows = (
        Member.objects.filter(group_id=group_id)
        .annotate(
            oracle_paid=Coalesce(
                Subquery(live_payers.values("member").annotate(s=Sum("amount")).values("s")[:1]),
                zero,
            ),
            oracle_owed=Coalesce(
                Subquery(live_shares.values("member").annotate(s=Sum("amount")).values("s")[:1]),
                zero,
            ),
        )
        .values_list("pk", "oracle_paid", "oracle_owed")
    )
    return {pk: (int(paid), int(owed)) for pk, paid, owed in rows}
