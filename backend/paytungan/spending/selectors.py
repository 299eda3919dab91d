"""Spending by month x category and per member, from one SQL aggregate over the bills' shares.

Bills' shares sum exactly to their totals, so summing shares gives the group's spending and, per
member, what each one consumed. Deleted bills and payments are not spending.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from paytungan.bills.models import BillShare, Category
from paytungan.common.errors import Invalid
from paytungan.groups.models import Member
from paytungan.money import to_decimal_string

DEFAULT_MONTHS = 12
MAX_MONTHS = 60


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def spending_range(
    *, date_from: dt.date | None, date_to: dt.date | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The inclusive range: default the last DEFAULT_MONTHS months (whole months) up to today."""
    end = date_to or today
    if date_from is None:
        first = _month_index(end) - (DEFAULT_MONTHS - 1)
        start = dt.date(first // 12, first % 12 + 1, 1)
    else:
        start = date_from
    if start > end:
        raise Invalid("`from` is after `to`.", fields={"from": ["Must be on or before `to`."]})
    if _month_index(end) - _month_index(start) + 1 > MAX_MONTHS:
        raise Invalid(
            f"The range spans more than {MAX_MONTHS} months.",
            fields={"from": [f"At most {MAX_MONTHS} months before `to`."]},
        )
    return start, end


def group_spending(
    *,
    me: Member,
    date_from: dt.date | None,
    date_to: dt.date | None,
    member_id: int | None,
    today: dt.date,
) -> dict[str, Any]:
    group = me.group
    currency = group.currency
    start, end = spending_range(date_from=date_from, date_to=date_to, today=today)
    rows = (
        BillShare.objects.filter(
            bill__group_id=group.pk,
            bill__deleted_at__isnull=True,
            bill__date__gte=start,
            bill__date__lte=end,
        )
        .annotate(month=TruncMonth("bill__date"))
        .values("month", "bill__category", "member_id", "member__name")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    months: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    overall: dict[str, int] = defaultdict(int)
    for row in rows:
        amount = int(row["amount"] or 0)
        category, mid = row["bill__category"], row["member_id"]
        names[mid] = row["member__name"]
        people[mid][category] += amount
        if member_id is None or mid == member_id:
            months[_month_index(row["month"])][category] += amount
            overall[category] += amount

    def money(minor: int) -> str:
        return to_decimal_string(minor, currency)

    def categories(amounts: dict[str, int]) -> list[dict[str, Any]]:
        order = {c: i for i, c in enumerate(Category.values)}
        items = sorted(
            ((c, a) for c, a in amounts.items() if a),
            key=lambda ca: (-ca[1], order.get(ca[0], 99)),
        )
        return [{"category": c, "amount": money(a)} for c, a in items]

    return {
        "currency": currency,
        "date_from": start,
        "date_to": end,
        "member_id": member_id,
        "total": money(sum(overall.values())),
        "categories": categories(overall),
        "months": [
            {
                "month": _month_label(i),
                "total": money(sum(months[i].values())),
                "categories": categories(months[i]),
            }
            for i in range(_month_index(start), _month_index(end) + 1)
        ],
        "members": [
            {
                "member_id": mid,
                "name": names[mid],
                "total": money(sum(amounts.values())),
                "categories": categories(amounts),
            }
            for mid, amounts in sorted(people.items(), key=lambda p: (-sum(p[1].values()), p[0]))
        ],
    }
