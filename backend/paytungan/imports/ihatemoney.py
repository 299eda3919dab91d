"""ihatemoney's JSON export ("Export" -> bills, JSON): a list of bills, newest first.

    [{"date": "2026-11-01", "what": "Dinner", "bill_type": "Expense", "amount": 90.0,
      "currency": "EUR", "payer_name": "Ayu", "payer_weight": 1.0, "owers": ["Ayu", "Budi"]}]

An expense is split over its owers in proportion to their weights. The export carries only the
payer's weight, so a member's weight is the one given wherever they paid, else 1 (what
ihatemoney's own import assumes). A "Reimbursement" moves money from the payer to the owers
(weighted the same way): it becomes payments. `currency` "XXX" (or none, before ihatemoney 5)
means no currency: the group's is used.
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
    check_currency,
    check_size,
    clean_title,
    parse_major,
    reimbursement_payments,
)
from paytungan.imports.jsonfile import load, text_field
from paytungan.money import allocate
from paytungan.money.text import Text as _

NO_CURRENCY = "XXX"
WEIGHT_PLACES = 6


def parse(data: bytes, *, default_currency: str) -> ParsedImport:
    bills_in = load(data, what=_("an ihatemoney export"))
    if not isinstance(bills_in, list) or not all(isinstance(b, dict) for b in bills_in):
        raise ImportFileError(_("This is not an ihatemoney export: expected a list of bills."))
    # Oldest first, as they happened (the export is newest first); rows keep the file's order.
    rows = list(enumerate(bills_in, start=1))

    currency: str | None = None
    weights: dict[str, Decimal] = {}
    order: dict[str, None] = {}
    for row, bill in rows:
        payer = text_field(bill, "payer_name", row=row).strip()
        owers = bill.get("owers")
        if not isinstance(owers, list) or not all(isinstance(o, str) for o in owers):
            raise ImportFileError(_('"owers" must be a list of names.'), row=row, column="owers")
        for name in (payer, *owers):
            if not name.strip():
                raise ImportFileError(_("A member has no name."), row=row)
            order.setdefault(name.strip(), None)
        weight = bill.get("payer_weight", Decimal(1))
        if not isinstance(weight, Decimal) or weight < 0 or _places(weight) > WEIGHT_PLACES:
            raise ImportFileError(
                _('"payer_weight" must be a non-negative number.'), row=row, column="payer_weight"
            )
        weights.setdefault(payer, weight)
        code = bill.get("currency")
        if code not in (None, "", NO_CURRENCY):
            if not isinstance(code, str):
                raise ImportFileError(_('"currency" must be text.'), row=row, column="currency")
            code = check_currency(code, row=row)
            if currency is None:
                currency = code
            elif code != currency:
                raise ImportFileError(
                    _(
                        "The bill is in {code} and an earlier one in {currency}: a group keeps "
                        "one currency.",
                        code=code,
                        currency=currency,
                    ),
                    row=row,
                    column="currency",
                )
    money = currency or default_currency
    members = tuple(SourceMember(key=name, name=name) for name in order)

    bills: list[SourceBill] = []
    payments: list[SourcePayment] = []
    for row, bill in reversed(rows):
        bills_or_payments(row, bill, money, weights, bills, payments)
    return check_size(ParsedImport("ihatemoney", currency, members, tuple(bills), tuple(payments)))


def bills_or_payments(
    row: int,
    bill: dict[str, Any],
    currency: str,
    weights: dict[str, Decimal],
    bills: list[SourceBill],
    payments: list[SourcePayment],
) -> None:
    payer = text_field(bill, "payer_name", row=row).strip()
    owers = list(dict.fromkeys(o.strip() for o in bill["owers"]))
    if not owers:
        raise ImportFileError(_("The bill has no owers: nobody owes the payer."), row=row)
    date = _date(bill, row=row)
    title = clean_title(text_field(bill, "what", row=row, required=False), fallback="Imported bill")
    if "amount" not in bill:
        raise ImportFileError(_('"amount" is missing.'), row=row, column="amount")
    amount = parse_major(bill["amount"], currency, row=row, column="amount")
    if amount == 0:
        return
    kind = bill.get("bill_type", "Expense")
    if kind not in ("Expense", "Reimbursement"):
        raise ImportFileError(
            _('"bill_type" {kind} is neither Expense nor Reimbursement.', kind=repr(kind)), row=row
        )
    units = _weight_units([weights.get(o, Decimal(1)) for o in owers])
    if sum(units) == 0:
        raise ImportFileError(_("Every ower has weight 0: nobody owes anything."), row=row)
    parts = allocate(abs(amount), units, f"ihatemoney:{row}")
    split = {o: p for o, p in zip(owers, parts, strict=True) if p}
    if kind == "Reimbursement":
        payments += reimbursement_payments(
            split, payer=payer, outgoing=amount > 0, row=row, date=date, note=title
        )
        return
    if amount > 0:
        payers, shares = {payer: amount}, split
    else:  # a negative expense (money coming in): the owers are paid back by the payer
        payers, shares = split, {payer: -amount}
    bills.append(
        SourceBill(
            row=row,
            date=date,
            title=title,
            category="other",
            total=abs(amount),
            payers=payers,
            shares=shares,
            notes=f"Imported from ihatemoney (bill {row} of the export).",
        )
    )


def _date(bill: dict[str, Any], *, row: int) -> dt.date:
    raw = text_field(bill, "date", row=row)
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ImportFileError(
            _("Date {raw} is not a date like 2026-11-20.", raw=repr(raw)), row=row, column="date"
        ) from None


def _weight_units(weights: list[Decimal]) -> list[int]:
    """Weights as integers in the same proportion (1.5 and 1 -> 15000 and 10000)."""
    return [int(w.scaleb(WEIGHT_PLACES).to_integral_value()) for w in weights]


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
