"""Spliit's JSON export (group -> Export -> JSON): the group with its participants and expenses.

    {"id": "...", "name": "Trip", "currency": "$", "currencyCode": "USD",
     "participants": [{"id": "p1", "name": "Ayu"}, ...],
     "expenses": [{"id": "e1", "expenseDate": "2026-11-01T00:00:00.000Z", "title": "Dinner",
                   "category": {"grouping": "Food and Drink", "name": "Dining Out"},
                   "amount": 9000, "paidById": "p1", "isReimbursement": false,
                   "splitMode": "EVENLY" | "BY_SHARES" | "BY_PERCENTAGE" | "BY_AMOUNT",
                   "paidFor": [{"participantId": "p1", "shares": 1}, ...], "notes": null}]}

Amounts are integers in the currency's minor units (Spliit's digits; two without a currency
code). Each expense is split the way Spliit splits it (src/lib/shares.ts): `shares` are weights
in every mode but EVENLY, apportioned by largest remainder, with ties broken by a rotation
seeded from an FNV-1a hash of the expense id. Reproducing that exactly is what makes the
balances after the import Spliit's own, to the unit. A reimbursement becomes payments from the
payer to the participants; a negative amount (income) swaps who paid and who owes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from paytungan.imports.core import (
    ImportFileError,
    ParsedImport,
    SourceBill,
    SourceMember,
    SourcePayment,
    category_for,
    check_currency,
    check_size,
    clean_title,
    reimbursement_payments,
)
from paytungan.imports.jsonfile import load, text_field
from paytungan.money import EXPONENTS, MAX_AMOUNT
from paytungan.money.text import Text as _

SPLIIT_DEFAULT_DIGITS = 2
MODES = ("EVENLY", "BY_SHARES", "BY_PERCENTAGE", "BY_AMOUNT")


def fnv1a(value: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as JavaScript's charCodeAt sees the string."""
    h = 0x811C9DC5
    raw = value.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(raw), 2):
        h ^= raw[i] | (raw[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def apportion(amount: int, shares: list[int], offset: int) -> list[int]:
    """Spliit's split of `amount` over `shares`: floors, then the leftover units to the largest
    remainders, equal remainders ordered from position `offset` on."""
    count, total = len(shares), sum(shares)
    if count == 0 or total == 0:
        return [0] * count
    amounts = [amount * s // total for s in shares]
    remainders = [amount * s - base * total for s, base in zip(shares, amounts, strict=True)]
    left = amount - sum(amounts)
    order = sorted(range(count), key=lambda i: (-remainders[i], (i - offset + count) % count))
    for i in order[:left]:
        amounts[i] += 1
    return amounts


def expense_shares(
    expense_id: str, amount: int, mode: str, paid_for: list[tuple[str, int]]
) -> dict[str, int]:
    """Each participant's share, as Spliit's getExpenseShares computes it."""
    rows = sorted(paid_for, key=lambda p: p[0].encode("utf-16-be", "surrogatepass"))
    weights = [1 if mode == "EVENLY" else s for _, s in rows]
    offset = fnv1a(expense_id) % len(rows) if expense_id and rows else 0
    parts = apportion(amount, weights, offset)
    return {pid: part for (pid, _), part in zip(rows, parts, strict=True)}


def parse(data: bytes, *, default_currency: str) -> ParsedImport:
    group = load(data, what=_("a Spliit export"))
    if not isinstance(group, dict) or not isinstance(group.get("expenses"), list):
        raise ImportFileError(_("This is not a Spliit export: expected a group with expenses."))
    people = group.get("participants")
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        raise ImportFileError(_("This is not a Spliit export: no participants list."))
    members: list[SourceMember] = []
    for p in people:
        pid, name = p.get("id"), p.get("name")
        if not isinstance(pid, str) or not isinstance(name, str) or not name.strip():
            raise ImportFileError(_("A participant has no id or name."))
        members.append(SourceMember(key=pid, name=" ".join(name.split())))
    known = {m.key for m in members}
    if len(known) != len(members):
        raise ImportFileError(_("Two participants have the same id."))

    code = group.get("currencyCode")
    if code not in (None, ""):
        if not isinstance(code, str):
            raise ImportFileError(_('"currencyCode" must be text.'))
        currency: str | None = check_currency(code)
        digits = EXPONENTS[code.upper()]
    else:
        currency, digits = None, SPLIIT_DEFAULT_DIGITS
    places = EXPONENTS[currency or default_currency]

    bills: list[SourceBill] = []
    payments: list[SourcePayment] = []
    for row, expense in enumerate(group["expenses"], start=1):
        if not isinstance(expense, dict):
            raise ImportFileError(_("The expense is not an object."), row=row)
        _expense(row, expense, known, digits, places, bills, payments)
    return check_size(
        ParsedImport("spliit", currency, tuple(members), tuple(bills), tuple(payments))
    )


def _expense(
    row: int,
    expense: dict[str, Any],
    known: set[str],
    digits: int,
    places: int,
    bills: list[SourceBill],
    payments: list[SourcePayment],
) -> None:
    eid = text_field(expense, "id", row=row, required=False)
    amount = _int(expense.get("amount"), row=row, column="amount")
    payer = text_field(expense, "paidById", row=row)
    if payer not in known:
        raise ImportFileError(
            _("paidById {payer} is not a participant.", payer=repr(payer)),
            row=row,
            column="paidById",
        )
    mode = expense.get("splitMode", "EVENLY")
    if mode not in MODES:
        raise ImportFileError(
            _("splitMode {mode} is unknown.", mode=repr(mode)), row=row, column="splitMode"
        )
    paid_for_raw = expense.get("paidFor")
    if not isinstance(paid_for_raw, list) or not paid_for_raw:
        raise ImportFileError(_("paidFor is missing or empty."), row=row, column="paidFor")
    paid_for: list[tuple[str, int]] = []
    for entry in paid_for_raw:
        pid = entry.get("participantId") if isinstance(entry, dict) else None
        if not isinstance(pid, str) or pid not in known:
            raise ImportFileError(
                _("paidFor names {pid}, not a participant.", pid=repr(pid)),
                row=row,
                column="paidFor",
            )
        shares = _int(entry.get("shares", Decimal(1)), row=row, column="paidFor.shares")
        if shares < 0:
            raise ImportFileError(_("A share is negative."), row=row, column="paidFor.shares")
        paid_for.append((pid, shares))
    if amount == 0:
        return
    split = expense_shares(eid, amount, mode, paid_for)
    if sum(split.values()) != amount:
        raise ImportFileError(_("The shares are all zero: nobody owes anything."), row=row)
    scale = places - digits
    total = _rescale(abs(amount), scale, row=row)
    split = {k: _rescale(abs(v), scale, row=row) for k, v in split.items() if v}
    date = _date(expense, row=row)
    title = clean_title(
        text_field(expense, "title", row=row, required=False), fallback="Imported expense"
    )
    if expense.get("isReimbursement") is True:
        payments += reimbursement_payments(
            split, payer=payer, outgoing=amount > 0, row=row, date=date, note=title
        )
        return
    payers, owed = ({payer: total}, split) if amount > 0 else (split, {payer: total})
    category = expense.get("category")
    grouping = name = None
    if isinstance(category, dict):
        grouping = category.get("grouping") if isinstance(category.get("grouping"), str) else None
        name = category.get("name") if isinstance(category.get("name"), str) else None
    notes = expense.get("notes") if isinstance(expense.get("notes"), str) else ""
    bills.append(
        SourceBill(
            row=row,
            date=date,
            title=title,
            category=category_for(grouping, name),
            total=total,
            payers=payers,
            shares=owed,
            notes=(f"{notes}\n" if notes else "") + f"Imported from Spliit (expense {row}).",
        )
    )


def _int(value: object, *, row: int, column: str) -> int:
    if not isinstance(value, Decimal) or value != value.to_integral_value():
        raise ImportFileError(
            _("{column} must be a whole number.", column=column), row=row, column=column
        )
    number = int(value)
    if abs(number) > MAX_AMOUNT:
        raise ImportFileError(_("{column} is too large.", column=column), row=row, column=column)
    return number


def _rescale(minor: int, scale: int, *, row: int) -> int:
    if scale >= 0:
        return minor * 10**scale
    unit = 10**-scale
    if minor % unit:
        raise ImportFileError(
            _("The amounts have more decimals than the group's currency allows."),
            row=row,
            column="amount",
        )
    return minor // unit


def _date(expense: dict[str, Any], *, row: int) -> dt.date:
    raw = text_field(expense, "expenseDate", row=row)
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ImportFileError(
            _("expenseDate {raw} is not a date.", raw=repr(raw)), row=row, column="expenseDate"
        ) from None
