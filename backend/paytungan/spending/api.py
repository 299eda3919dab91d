"""Spending under /api/groups/{gid}/spending: a thin handler over spending.selectors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from paytungan.accounts.auth import request_user
from paytungan.groups.access import group_for_member
from paytungan.spending import selectors
from paytungan.spending.schemas import SpendingFilters, SpendingOut

router = Router(tags=["spending"])


@router.get("/{int:gid}/spending", response=SpendingOut, by_alias=True)
def group_spending(
    request: HttpRequest, gid: int, filters: Query[SpendingFilters]
) -> dict[str, Any]:
    """The group's spending per month and category and per member (a member's spending is
    their share of the bills, not what they paid; payments are not spending)."""
    me = group_for_member(user=request_user(request), group_id=gid)
    return selectors.group_spending(
        me=me,
        date_from=filters.date_from,
        date_to=filters.date_to,
        member_id=filters.member_id,
        today=timezone.localdate(),
    )
