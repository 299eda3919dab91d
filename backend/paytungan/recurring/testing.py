"""Test helpers for recurring bills: URLs and request bodies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paytungan.groups.models import Group, Member


def recurring_url(group: Group | int, template_id: int | None = None, suffix: str = "") -> str:
    gid = group if isinstance(group, int) else group.pk
    url = f"/api/groups/{gid}/recurring"
    if template_id is not None:
        url += f"/{template_id}"
    return url + suffix


def monthly_rent(
    *,
    payer: Member,
    members: Iterable[Member],
    total: str = "3000000",
    start_date: str = "2026-11-01",
    interval: str = "monthly",
    **extra: Any,
) -> dict[str, Any]:
    """A template paid by one member, split equally."""
    return {
        "title": "Sewa rumah",
        "category": "lodging",
        "payers": [{"member_id": payer.pk, "amount": total}],
        "split": {"mode": "equal", "members": [{"member_id": m.pk} for m in members]},
        "total": total,
        "interval": interval,
        "start_date": start_date,
        **extra,
    }
