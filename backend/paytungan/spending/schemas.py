"""GET /api/groups/{gid}/spending: what the group spent, by month and category, and per member.

A member's spending is their share of the bills (what they consumed), not what they paid;
payments (settling up) are not spending and are left out. Amounts are decimal strings in the
group's currency, like the rest of the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from paytungan.bills.schemas import MAX_ID, CategoryLiteral, IsoDate
from paytungan.common.schemas import OutSchema


class SpendingFilters(Schema):
    """`from` and `to` are inclusive dates (default: the last 12 months up to today); with
    `member_id` the months count only that member's shares."""

    date_from: IsoDate | None = Field(default=None, alias="from")
    date_to: IsoDate | None = Field(default=None, alias="to")
    member_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class CategoryAmountOut(OutSchema):
    category: CategoryLiteral
    amount: str


class MonthOut(OutSchema):
    month: str  # "2026-11"
    total: str
    categories: list[CategoryAmountOut]  # non-zero only, largest first


class MemberSpendingOut(OutSchema):
    member_id: int
    name: str
    total: str  # the member's shares of the bills in the range
    categories: list[CategoryAmountOut]


class SpendingOut(OutSchema):
    currency: str
    date_from: dt.date = Field(serialization_alias="from")
    date_to: dt.date = Field(serialization_alias="to")
    member_id: int | None
    total: str
    categories: list[CategoryAmountOut]
    months: list[MonthOut]  # every month of the range, oldest first, empty ones too
    members: list[MemberSpendingOut]  # every member with a share in the range, largest first
