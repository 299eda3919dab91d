"""Reads: the bill's JSON shape (one function for previews and saved bills alike), the bills
page, and the preview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from paytungan.bills.compute import Draft, Line, draft_bill, referenced_member_ids
from paytungan.bills.inputs import BillData
from paytungan.bills.models import Bill, BillPayer, BillShare
from paytungan.common.pagination import paginate
from paytungan.groups.models import Group, Member
from paytungan.money import to_decimal_string
from paytungan.splitting.canonical import canonical_decimal

BREAKDOWN_PARTS = ("items", "discount", "service", "tax", "tip", "total")


# --- one bill --------------------------------------------------------------------------------
def computed_payload(
    *,
    group: Group,
    title: str,
    date: dt.date,
    category: str,
    notes: str,
    currency: str,
    exchange_rate: Decimal | None,
    split: Mapping[str, Any],
    total: int,
    original_total: int,
    payers: Iterable[Line],
    shares: Iterable[Line],
    paid_back: Mapping[int, int],
) -> dict[str, Any]:
    """The computed bill as JSON (BillPreviewOut). Saved bills and previews both come through
    here, from the same lines, so they cannot differ in shape or rounding."""
    gc = group.currency
    payers = sorted(payers, key=lambda line: line.member_id)
    shares = sorted(shares, key=lambda line: line.member_id)
    itemized = split.get("mode") == "itemized"
    paid = {line.member_id: line.amount for line in payers}
    status = []
    for line in shares:
        owes = line.amount - paid.get(line.member_id, 0)
        if owes > 0:
            back = paid_back.get(line.member_id, 0)
            status.append(
                {
                    "member_id": line.member_id,
                    "status": "paid_back" if back >= owes else "owes",
                    "amount": to_decimal_string(owes, gc),
                    "paid_back": to_decimal_string(back, gc),
                }
            )
    return {
        "group_id": group.pk,
        "title": title,
        "date": date,
        "category": category,
        "notes": notes,
        "currency": currency,
        "exchange_rate": None if exchange_rate is None else canonical_decimal(exchange_rate),
        "group_currency": gc,
        "total": to_decimal_string(total, gc),
        "original_total": to_decimal_string(original_total, currency),
        "payers": [_line(line, gc, currency) for line in payers],
        "split": split,
        "shares": [_line(line, gc, currency) for line in shares],
        "breakdown": [
            {
                "member_id": line.member_id,
                **{
                    part: to_decimal_string((line.breakdown or {}).get(part, 0), currency)
                    for part in BREAKDOWN_PARTS
                },
            }
            for line in shares
        ]
        if itemized
        else None,
        "status": status,
    }


def _line(line: Line, group_currency: str, currency: str) -> dict[str, Any]:
    return {
        "member_id": line.member_id,
        "amount": to_decimal_string(line.amount, group_currency),
        "original_amount": to_decimal_string(line.original_amount, currency),
    }


def draft_payload(*, group: Group, draft: Draft, paid_back: Mapping[int, int]) -> dict[str, Any]:
    return computed_payload(
        group=group,
        title=draft.title,
        date=draft.date,
        category=draft.category,
        notes=draft.notes,
        currency=draft.currency,
        exchange_rate=draft.exchange_rate,
        split=draft.split,
        total=draft.result.total,
        original_total=draft.original.total,
        payers=draft.payer_lines(),
        shares=draft.share_lines(),
        paid_back=paid_back,
    )


def bill_payload(
    *,
    bill: Bill,
    group: Group,
    payers: Iterable[BillPayer],
    shares: Iterable[BillShare],
    paid_back: Mapping[int, int],
) -> dict[str, Any]:
    """A saved bill as JSON (BillOut)."""
    payload = computed_payload(
        group=group,
        title=bill.title,
        date=bill.date,
        category=bill.category,
        notes=bill.notes,
        currency=bill.currency,
        exchange_rate=bill.exchange_rate,
        split=bill.split,
        total=bill.total,
        original_total=bill.original_total,
        payers=[Line(p.member_id, p.amount, p.original_amount) for p in payers],
        shares=[Line(s.member_id, s.amount, s.original_amount, s.breakdown) for s in shares],
        paid_back=paid_back,
    )
    payload.update(
        id=bill.pk,
        version=bill.version,
        created_at=bill.created_at,
        updated_at=bill.updated_at,
        deleted_at=bill.deleted_at,
    )
    return payload


def bill_detail(*, bill: Bill, group: Group, paid_back: Mapping[int, int]) -> dict[str, Any]:
    """A saved bill with its rows (two queries) and its payment status (`paid_back`, from
    bills.statuses: payments provide it)."""
    return bill_payload(
        bill=bill,
        group=group,
        payers=BillPayer.objects.filter(bill=bill),
        shares=BillShare.objects.filter(bill=bill),
        paid_back=paid_back,
    )


# --- the bills page --------------------------------------------------------------------------
def bill_list(
    *,
    me: Member,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    member_id: int | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Live bills, newest first by (date, id): three queries whatever the page size (bills,
    their payers, the caller's shares)."""
    group = me.group
    qs = Bill.objects.filter(group=group, deleted_at__isnull=True)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    if member_id is not None:
        qs = qs.filter(
            Exists(BillPayer.objects.filter(bill=OuterRef("pk"), member_id=member_id))
            | Exists(BillShare.objects.filter(bill=OuterRef("pk"), member_id=member_id))
        )
    if category is not None:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(notes__icontains=q))
    qs = qs.prefetch_related(
        Prefetch("payers", queryset=BillPayer.objects.order_by("member_id")),
        Prefetch("shares", queryset=BillShare.objects.filter(member=me), to_attr="my_shares"),
    )
    qs = qs.only(
        "id",
        "title",
        "date",
        "category",
        "split_mode",
        "currency",
        "total",
        "original_total",
        "created_at",
    )
    rows, next_cursor = paginate(qs, fields=["date", "id"], limit=limit, cursor=cursor)
    gc = group.currency
    items = [
        {
            "id": bill.pk,
            "title": bill.title,
            "date": bill.date,
            "category": bill.category,
            "split_mode": bill.split_mode,
            "currency": bill.currency,
            "total": to_decimal_string(bill.total, gc),
            "original_total": to_decimal_string(bill.original_total, bill.currency),
            "payers": [
                {"member_id": p.member_id, "amount": to_decimal_string(p.amount, gc)}
                for p in bill.payers.all()
            ],
            "my_share": to_decimal_string(sum(s.amount for s in bill.my_shares), gc),  # type: ignore[attr-defined]
            "created_at": bill.created_at,
        }
        for bill in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


# --- preview ---------------------------------------------------------------------------------
def bill_preview(*, me: Member, data: BillData) -> dict[str, Any]:
    """Exactly what bill_create would store and return, minus the id: same draft, same lines,
    same payload function. Saves nothing."""
    group = me.group
    ids = {mid for _, mid in referenced_member_ids(data)}
    active = set(
        Member.objects.filter(group=group, pk__in=ids, is_active=True).values_list("pk", flat=True)
    )
    draft = draft_bill(
        group=group, data=data, active_member_ids=active, default_date=timezone.localdate()
    )
    return draft_payload(group=group, draft=draft, paid_back={})
