"""The groups part of a user's personal-data export (GET /api/me/export)."""

from __future__ import annotations

from typing import Any

from paytungan.accounts.models import User
from paytungan.groups.models import Member
from paytungan.money import to_decimal_string


def export_memberships(user: User) -> list[dict[str, Any]]:
    """Every membership, current or past, with the group's name and the user's balance there."""
    rows = Member.objects.filter(user=user).select_related("group").order_by("group_id")
    return [
        {
            "group_id": m.group_id,
            "group_name": m.group.name,
            "currency": m.group.currency,
            "member_id": m.pk,
            "name": m.name,
            "is_active": m.is_active,
            "joined_at": m.joined_at.isoformat(),
            "left_at": m.left_at.isoformat() if m.left_at else None,
            "balance": to_decimal_string(m.balance, m.group.currency),
            "created_group": m.group.created_by_id == user.pk,
        }
        for m in rows
    ]
