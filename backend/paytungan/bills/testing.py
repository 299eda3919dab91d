"""Test helpers for bills, shared with other apps' tests: request bodies and the URL scheme.

body = equal_bill(payer=m[ayu], members=[m[ayu], m["Budi"]], total="300000")
bill = client.post(bills_url(group), body).json
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
