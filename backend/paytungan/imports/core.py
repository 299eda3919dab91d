"""What every import format parses into: members, bills and payments in integer minor units.

Pure Python, no Django import: the parsers (splitwise, ihatemoney, spliit) produce a
`ParsedImport`, the service turns it into rows through the bill and payment services. Every
bill's payers and shares sum exactly to its total, so the members' balances after the import are
exactly `ParsedImport.balances()`, which each parser checks against what the file itself says
where it says anything (Splitwise's "Total balance" row).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from paytungan.money import EXPONENTS, MAX_AMOUNT
from paytungan.money.text import Text as _

FORMATS = ("splitwise", "ihatemoney", "spliit")
MAX_ROWS = 20_000  # rows (bills and payments) per file
MAX_MEMBERS = 200
TITLE_MAX = 200
CATEGORIES = (
    "food",
    "transport",
    "lodging",
    "groceries",
    "entertainment",
    "utilities",
    "shopping",
    "other",
)


class ImportFileError(Exception):
    """The file can't be imported; `row` (1-based, as the format counts them) says where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        if row is not None:
            message = _("Row {row}: {message}", row=row, message=message)
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class SourceMember:
    key: str  # how the file identifies the person (a column name, a name, an id)
    name: str


@dataclass(frozen=True)
class SourceBill:
    row: int
    date: dt.date
    title: str
    category: str
    total: int
    payers: Mapping[str, int]  # member key -> amount paid; positive, sums to total
    shares: Mapping[str, int]  # member key -> amount owed; positive, sums to total
    notes: str = ""


@dataclass(frozen=True)
class SourcePayment:
    row: int
    date: dt.date
    from_key: str
    to_key: str
    amount: int  # positive
    note: str = ""


def reimbursement_payments(
    split: Mapping[str, int], *, payer: str, outgoing: bool, row: int, date: dt.date, note: str
) -> list[SourcePayment]:
    """A reimbursement as payments: the payer to each other person of its split (`outgoing`,
    a positive amount), or each of them to the payer (a negative one)."""
    return [
        SourcePayment(
            row=row,
            date=date,
            from_key=payer if outgoing else other,
            to_key=other if outgoing else payer,
            amount=part,
            note=note,
        )
        for other, part in split.items()
        if other != payer
    ]


@dataclass(frozen=True)
class ParsedImport:
    format: str
    currency: str | None  # None: the file names none (the group's is used)
    members: tuple[SourceMember, ...]
    bills: tuple[SourceBill, ...]
    payments: tuple[SourcePayment, ...]
    # What the file itself says each member's balance is, when it says so.
    stated_balances: Mapping[str, int] | None = field(default=None)

    def balances(self) -> dict[str, int]:
        """Each member's balance from the bills and payments (positive: is owed)."""
        out = {m.key: 0 for m in self.members}
        for bill in self.bills:
            for key, amount in bill.payers.items():
                out[key] += amount
            for key, amount in bill.shares.items():
                out[key] -= amount
        for payment in self.payments:
            out[payment.from_key] += payment.amount
            out[payment.to_key] -= payment.amount
        return out


def check_currency(code: str, *, row: int | None = None) -> str:
    code = code.strip().upper()
    if code not in EXPONENTS:
        raise ImportFileError(
            _("Unknown currency {code}.", code=repr(code)), row=row, column="Currency"
        )
    return code


def parse_major(text: object, currency: str, *, row: int, column: str) -> int:
    """A signed decimal amount in major units ("-12.50", "50000.00") -> minor units. Trailing
    zeros beyond the currency's decimals are fine; a non-zero digit there is an error (the
    amount can't be kept exactly)."""
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise ImportFileError(
            _("{column} {text} is not an amount.", column=column, text=repr(text)),
            row=row,
            column=column,
        )
    raw = str(text).strip()
    if raw in ("", "-", "+"):
        return 0
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImportFileError(
            _("{column} {text} is not a number.", column=column, text=repr(text)),
            row=row,
            column=column,
        ) from None
    if not value.is_finite():
        raise ImportFileError(
            _("{column} {text} is not a number.", column=column, text=repr(text)),
            row=row,
            column=column,
        )
    places = EXPONENTS[currency]
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ImportFileError(
            _(
                "{column} {text} has more decimals than {currency} allows ({places}).",
                column=column,
                text=text,
                currency=currency,
                places=places,
            ),
            row=row,
            column=column,
        )
    minor = int(scaled)
    if abs(minor) > MAX_AMOUNT:
        raise ImportFileError(
            _("{column} {text} is too large.", column=column, text=text), row=row, column=column
        )
    return minor


def clean_title(raw: str, *, fallback: str) -> str:
    title = " ".join(raw.replace("\x00", "").split())
    return (title or fallback)[:TITLE_MAX]


def category_for(*names: str | None) -> str:
    """Map a source category (Splitwise's "Dining out", Spliit's "Food and Drink / Groceries")
    to one of ours by keyword; unknown ones are "other"."""
    words = re.findall(r"[a-z]+", " ".join(n for n in names if n).lower())
    rules = (
        ("groceries", ("grocer",)),
        ("food", ("food", "dining", "restaurant", "drink", "liquor", "coffee", "meal")),
        (
            "transport",
            (
                "transport",
                "taxi",
                "car",
                "bus",
                "train",
                "plane",
                "flight",
                "fuel",
                "parking",
                "bicycle",
            ),
        ),
        ("lodging", ("hotel", "lodging", "rent", "mortgage", "housing", "home")),
        (
            "utilities",
            ("utilit", "electric", "water", "heat", "internet", "phone", "tv", "trash", "cleaning"),
        ),
        ("entertainment", ("entertain", "movie", "music", "game", "sport", "ticket")),
        (
            "shopping",
            ("shopping", "clothing", "electronics", "gift", "household", "furniture", "supplies"),
        ),
    )
    for category, keys in rules:
        if any(w.startswith(k) for w in words for k in keys):
            return category
    return "other"


def check_size(parsed: ParsedImport) -> ParsedImport:
    rows = len(parsed.bills) + len(parsed.payments)
    if rows > MAX_ROWS:
        raise ImportFileError(
            _(
                "The file has {rows} bills and payments; the limit is {limit}.",
                rows=rows,
                limit=MAX_ROWS,
            )
        )
    if len(parsed.members) > MAX_MEMBERS:
        raise ImportFileError(
            _(
                "The file has {members} members; the limit is {limit}.",
                members=len(parsed.members),
                limit=MAX_MEMBERS,
            )
        )
    if rows == 0:
        raise ImportFileError(_("The file has no bills or payments to import."))
    return parsed
