"""A group as a downloadable file: everything as JSON, or the bills as a spreadsheet (CSV).

Both are a fixed number of queries whatever the number of bills (asserted in tests). Money is a
decimal string in major units, as everywhere in the API.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from paytungan.bills.models import Bill, BillPayer, BillShare
from paytungan.groups.models import Group, Member
from paytungan.ledger.settle import group_settle
from paytungan.money import to_decimal_string
from paytungan.payments.models import Payment, PaymentStatus
from paytungan.payments.selectors import group_balances, payment_payload, payments_with_recorder

JSON_KEYS = ("group", "members", "bills", "payments", "balances", "settle")
FORMAT_VERSION = "paytungan.group.v1"
# A spreadsheet treats a cell starting with one of these as a formula; text we didn't write
# (titles, names) is prefixed with a quote so that opening the file can't run anything.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _live_bills(group_id: int) -> QuerySet[Bill]:
    """Live bills, oldest first, with payers and shares (three queries)."""
    return (
        Bill.objects.filter(group_id=group_id, deleted_at__isnull=True)
        .order_by("date", "pk")
        .prefetch_related(
            Prefetch("payers", queryset=BillPayer.objects.order_by("member_id")),
            Prefetch("shares", queryset=BillShare.objects.order_by("member_id")),
        )
    )


def _rate(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    return format(rate.normalize(), "f")


def _breakdown(raw: Any, currency: str) -> Any:
    """Stored breakdowns hold integer minor units of the bill currency: shown as money strings
    (anything already a string is left as it is)."""
    if not isinstance(raw, dict):
        return raw
    return {
        key: to_decimal_string(value, currency)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for key, value in raw.items()
    }


def _bill_json(bill: Bill, group_currency: str) -> dict[str, Any]:
    return {
        "id": bill.pk,
        "title": bill.title,
        "date": bill.date,
        "category": bill.category,
        "notes": bill.notes,
        "currency": bill.currency,
        "exchange_rate": _rate(bill.exchange_rate),
        "original_total": to_decimal_string(bill.original_total, bill.currency),
        "total": to_decimal_string(bill.total, group_currency),
        "split_mode": bill.split_mode,
        "split": bill.split,
        "version": bill.version,
        "created_at": bill.created_at,
        "updated_at": bill.updated_at,
        "payers": [
            {
                "member_id": p.member_id,
                "amount": to_decimal_string(p.amount, group_currency),
                "original_amount": to_decimal_string(p.original_amount, bill.currency),
            }
            for p in bill.payers.all()
        ],
        "shares": [
            {
                "member_id": s.member_id,
                "amount": to_decimal_string(s.amount, group_currency),
                "original_amount": to_decimal_string(s.original_amount, bill.currency),
                "breakdown": _breakdown(s.breakdown, bill.currency),
            }
            for s in bill.shares.all()
        ],
    }


def group_export_data(*, group: Group) -> dict[str, Any]:
    """The whole group: settings, members (those who left too: history names them), live bills
    with payers and shares, payments, balances and the settle-up suggestion."""
    currency = group.currency
    members = Member.objects.filter(group_id=group.pk).order_by("pk")
    payments = payments_with_recorder().filter(group_id=group.pk).order_by("created_at", "pk")
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "group": {
            "id": group.pk,
            "name": group.name,
            "currency": currency,
            "simplify_debts": group.simplify_debts,
            "created_at": group.created_at,
        },
        "members": [
            {"id": m.pk, "name": m.name, "user_id": m.user_id, "is_active": m.is_active}
            for m in members
        ],
        "bills": [_bill_json(b, currency) for b in _live_bills(group.pk)],
        "payments": [payment_payload(p) for p in payments],
        "balances": group_balances(group=group)["items"],
        "settle": group_settle(group=group)["items"],
    }


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _column_names(members: Iterable[Member]) -> list[str]:
    """Member names as column headers, made unique ("Budi", "Budi (2)")."""
    seen: dict[str, int] = {}
    names = []
    for member in members:
        count = seen.get(member.name, 0) + 1
        seen[member.name] = count
        names.append(_cell(member.name if count == 1 else f"{member.name} ({count})"))
    return names


CSV_BOM = "\ufeff"  # spreadsheet programs read the file as UTF-8 only with it


def group_export_csv(*, group: Group) -> str:
    """One row per live bill and per confirmed payment, by date (bills first on a day): date,
    title, category ("payment" for a payment), the currency and total, the total in the group
    currency, who paid, then one column per member with what the row did to their balance
    (paid minus share for a bill; +amount for a payment's sender, -amount for its receiver).
    Each row's member columns sum to zero and each member's column sums to the last row, their
    balance: the file adds up on its own. Starts with a UTF-8 BOM."""
    currency = group.currency
    members = list(Member.objects.filter(group_id=group.pk).order_by("pk"))
    names = {m.pk: m.name for m in members}
    payments = list(
        Payment.objects.filter(group_id=group.pk, status=PaymentStatus.CONFIRMED).order_by(
            "created_at", "pk"
        )
    )
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Date",
            "Title",
            "Category",
            "Currency",
            "Original total",
            f"Total ({currency})",
            "Paid by",
            *_column_names(members),
        ]
    )
    rows: list[tuple[tuple[str, int, int], list[str]]] = []
    for bill in _live_bills(group.pk):
        effect: dict[int, int] = {}
        for payer in bill.payers.all():
            effect[payer.member_id] = effect.get(payer.member_id, 0) + payer.amount
        for share in bill.shares.all():
            effect[share.member_id] = effect.get(share.member_id, 0) - share.amount
        paid_by = "; ".join(
            f"{names.get(p.member_id, p.member_id)} {to_decimal_string(p.amount, currency)}"
            for p in bill.payers.all()
            if p.amount
        )
        day = bill.date.isoformat()
        rows.append(
            (
                (day, 0, bill.pk),
                [
                    day,
                    _cell(bill.title),
                    bill.category,
                    bill.currency,
                    to_decimal_string(bill.original_total, bill.currency),
                    to_decimal_string(bill.total, currency),
                    _cell(paid_by),
                    *[to_decimal_string(effect.get(m.pk, 0), currency) for m in members],
                ],
            )
        )
    for payment in payments:
        effect = {payment.from_member_id: payment.amount}
        effect[payment.to_member_id] = effect.get(payment.to_member_id, 0) - payment.amount
        sender = names.get(payment.from_member_id, str(payment.from_member_id))
        receiver = names.get(payment.to_member_id, str(payment.to_member_id))
        amount = to_decimal_string(payment.amount, payment.currency)
        day = timezone.localdate(payment.created_at).isoformat()
        rows.append(
            (
                (day, 1, payment.pk),
                [
                    day,
                    _cell(f"{sender} → {receiver}" + (f": {payment.note}" if payment.note else "")),
                    "payment",
                    payment.currency,
                    amount,
                    amount,
                    _cell(f"{sender} {amount}"),
                    *[to_decimal_string(effect.get(m.pk, 0), currency) for m in members],
                ],
            )
        )
    for _key, row in sorted(rows, key=lambda entry: entry[0]):
        writer.writerow(row)
    writer.writerow(
        [
            "",
            "Balance",
            "",
            currency,
            "",
            "",
            "",
            *[to_decimal_string(m.balance, currency) for m in members],
        ]
    )
    return out.getvalue()


def _filename(group: Group, extension: str) -> str:
    slug = slugify(group.name) or f"group-{group.pk}"
    return f"paytungan-{slug}-{timezone.localdate().isoformat()}.{extension}"


def group_export_response(*, me: Member, fmt: Literal["json", "csv"]) -> HttpResponse:
    group = me.group
    if fmt == "csv":
        response = HttpResponse(
            group_export_csv(group=group).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        body = json.dumps(
            group_export_data(group=group), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, fmt)}"'
    # Every member's name, debts and payout details: never kept by a browser or shared cache.
    response["Cache-Control"] = "no-store"
    return response
