"""The payments part of a user's personal-data export (GET /api/me/export)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from paytungan.accounts.models import User
from paytungan.money import to_decimal_string
from paytungan.payments.models import Payment


def export_payments(user: User) -> list[dict[str, Any]]:
    """Payments the user recorded, sent or received, in any group (one query)."""
    rows = (
        Payment.objects.filter(
            Q(recorded_by=user) | Q(from_member__user=user) | Q(to_member__user=user)
        )
        .select_related("group", "from_member", "to_member")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": p.pk,
            "group_id": p.group_id,
            "group_name": p.group.name,
            "from_member": {"id": p.from_member_id, "name": p.from_member.name},
            "to_member": {"id": p.to_member_id, "name": p.to_member.name},
            "amount": to_decimal_string(p.amount, p.currency),
            "currency": p.currency,
            "bill_id": p.bill_id,
            "note": p.note,
            "status": p.status,
            "is_overpayment": p.is_overpayment,
            "recorded_by_me": p.recorded_by_id == user.pk,
            "created_at": p.created_at.isoformat(),
            "decided_at": p.decided_at.isoformat() if p.decided_at else None,
        }
        for p in rows
    ]
