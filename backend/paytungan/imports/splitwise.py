"""Splitwise's CSV export: one row per expense or payment, one column per member.

The layout (what Splitwise writes under "Export as spreadsheet"):

    Date,Description,Category,Cost,Currency,Ayu,Budi,Citra
    <blank>
    2026-11-01,Dinner,Dining out,90.00,USD,60.00,-30.00,-30.00
    2026-11-02,Budi paid Ayu,Payment,30.00,USD,-30.00,30.00,0.00
    <blank>
    2026-11-30,Total balance, , ,USD,30.00,0.00,-30.00

Each member's cell is their net for the row (what they paid minus their share; positive: they
are owed), so a row's cells sum to zero and each column sums to the member's balance, which the
"Total balance" row repeats. The file doesn't say who paid what, only the nets, so a bill is
rebuilt as: the members with a positive net paid the row's cost between them (each their net
plus their part of the cost they kept), the others owe their net. Balances come out exactly
as the file's. Payment rows (category "Payment", one member up, one down) become payments.
Header names are not checked (Splitwise translates them); the positions are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

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
    parse_major,
)
from paytungan.money import allocate
from paytungan.money.text import Text as _

FIXED = 5  # Date, Description, Category, Cost, Currency
TOTAL_LABEL = "total balance"


def decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise ImportFileError(_("The file contains NUL characters: it is not a text export."))
    return text


def parse_date(raw: str, *, row: int) -> dt.date:
    text = raw.strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ImportFileError(
            _("Date {raw} is not a date like 2026-11-20.", raw=repr(raw.strip())),
            row=row,
            column="Date",
        ) from None


def parse(data: bytes) -> ParsedImport:
    text = decode_text(data)
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: {exc}.", exc=exc)) from None
    numbered = [
        (n, cells) for n, cells in enumerate(lines, start=1) if any(c.strip() for c in cells)
    ]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    header_row, header = numbered[0]
    if len(header) <= FIXED:
        raise ImportFileError(
            _(
                "This is not a Splitwise export: expected Date, Description, Category, Cost, "
                "Currency and one column per member."
            ),
            row=header_row,
        )
    names = [cell.strip() for cell in header[FIXED:]]
    if any(not name for name in names):
        raise ImportFileError(_("A member column has no name."), row=header_row)
    if len({n.lower() for n in names}) != len(names):
        raise ImportFileError(_("Two member columns have the same name."), row=header_row)
    members = tuple(SourceMember(key=name, name=name) for name in names)

    currency: str | None = None
    currency_row = 0
    bills: list[SourceBill] = []
    payments: list[SourcePayment] = []
    stated: dict[str, int] | None = None
    stated_row = 0
    for row, cells in numbered[1:]:
        if len(cells) != len(header):
            raise ImportFileError(
                _(
                    "The row has {cells} columns; the header has {columns}.",
                    cells=len(cells),
                    columns=len(header),
                ),
                row=row,
            )
        label = cells[1].strip()
        is_total = label.lower() == TOTAL_LABEL
        if is_total and not cells[4].strip() and currency is not None:
            code = currency
        else:
            code = check_currency(cells[4], row=row)
        if currency is None:
            currency, currency_row = code, row
        elif code != currency:
            raise ImportFileError(
                _(
                    "The row is in {code} but row {currency_row} is in {currency}: a group keeps "
                    "one currency, so export (or convert) one currency at a time.",
                    code=code,
                    currency_row=currency_row,
                    currency=currency,
                ),
                row=row,
                column="Currency",
            )
        nets = {
            name: parse_major(cell, code, row=row, column=name)
            for name, cell in zip(names, cells[FIXED:], strict=True)
        }
        if is_total:
            if stated is not None:
                raise ImportFileError(_("A second Total balance row."), row=row)
            stated, stated_row = nets, row
            continue
        if stated is not None:
            raise ImportFileError(_("A row after the Total balance row."), row=row)
        if sum(nets.values()) != 0:
            raise ImportFileError(
                _(
                    "The member columns must add up to zero (each is that member's net for the "
                    "row)."
                ),
                row=row,
            )
        if not any(nets.values()):
            continue  # no effect on anyone's balance (e.g. someone paid only for themselves)
        date = parse_date(cells[0], row=row)
        cost = parse_major(cells[3], code, row=row, column="Cost")
        up = {k: v for k, v in nets.items() if v > 0}
        down = {k: -v for k, v in nets.items() if v < 0}
        category = cells[2].strip()
        if category.lower() == "payment" and len(up) == 1 and len(down) == 1:
            (payer, amount), (receiver, _paid) = next(iter(up.items())), next(iter(down.items()))
            payments.append(
                SourcePayment(
                    row=row,
                    date=date,
                    from_key=payer,
                    to_key=receiver,
                    amount=amount,
                    note=clean_title(label, fallback="")[:200],
                )
            )
            continue
        bills.append(_bill(row, date, label, category, cost, up, down))

    if stated is not None:
        parsed = ParsedImport("splitwise", currency, members, tuple(bills), tuple(payments), stated)
        computed = parsed.balances()
        wrong = [k for k in names if computed[k] != stated[k]]
        if wrong:
            raise ImportFileError(
                _(
                    "The Total balance row doesn't match the rows above it for {members}: the "
                    "file is incomplete or was edited.",
                    members=", ".join(wrong),
                ),
                row=stated_row,
                column=wrong[0],
            )
        return check_size(parsed)
    return check_size(ParsedImport("splitwise", currency, members, tuple(bills), tuple(payments)))


def _bill(
    row: int,
    date: dt.date,
    label: str,
    category: str,
    cost: int,
    up: dict[str, int],
    down: dict[str, int],
) -> SourceBill:
    lent = sum(up.values())
    # The cost is what was spent; the members who are up paid it and kept part of it as their
    # own share. A cost below what they lent (an edited file) leaves them no share.
    total = cost if cost >= lent else lent
    kept = total - lent
    keys = list(up)
    own = allocate(kept, [up[k] for k in keys], f"splitwise:{row}") if kept else [0] * len(keys)
    payers = {k: up[k] + part for k, part in zip(keys, own, strict=True)}
    shares = dict(down)
    for k, part in zip(keys, own, strict=True):
        if part:
            shares[k] = part
    notes = f"Imported from Splitwise (row {row}, category {category or 'none'})."
    return SourceBill(
        row=row,
        date=date,
        title=clean_title(label, fallback="Imported expense"),
        category=category_for(category, label),
        total=total,
        payers=payers,
        shares=shares,
        notes=notes,
    )
