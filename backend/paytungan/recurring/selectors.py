"""Recurring bill reads: the group's templates, and one template as the API shows it."""

from __future__ import annotations

from typing import Any

from paytungan.groups.models import Group, Member
from paytungan.money import to_decimal_string
from paytungan.recurring.models import RecurringBill


def recurring_payload(*, template: RecurringBill, group: Group) -> dict[str, Any]:
    body = template.body
    return {
        "id": template.pk,
        "group_id": group.pk,
        "title": template.title,
        "category": template.category,
        "notes": template.notes,
        "currency": group.currency,
        "total": to_decimal_string(template.total, group.currency),
        "payers": body["payers"],
        "split": body["split"],
        "interval": template.interval,
        "start_date": template.start_date,
        "next_due": template.next_due,
        "status": "active" if template.is_active else "stopped",
        "created_by_member_id": template.created_by_id,
        "last_bill_id": template.last_bill_id,
        "last_run_at": template.last_run_at,
        "last_error": template.last_error or None,
        "last_error_at": template.last_error_at,
        "skipped_periods": template.skipped_periods,
        "created_at": template.created_at,
        "updated_at": template.updated_at,
    }


def recurring_list(*, me: Member) -> dict[str, Any]:
    """Every template of the group (a group has a handful): active first, by next date. One
    query."""
    group = me.group
    rows = RecurringBill.objects.filter(group_id=group.pk).order_by("-is_active", "next_due", "pk")
    return {"items": [recurring_payload(template=t, group=group) for t in rows]}
