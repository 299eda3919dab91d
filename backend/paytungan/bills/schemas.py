"""Bill request and response bodies (DESIGN.md, "Bills").

Money, percents, shares and the exchange rate travel as strings and are parsed by the pure core
(paytungan.splitting), which names the exact field of every mistake. The schemas here only make
sure each value has the right JSON type: a JSON number where a money string belongs is refused,
never silently converted.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, Strict

from paytungan.bills.inputs import BillData
from paytungan.bills.models import Category, SplitMode
from paytungan.common.pagination import MAX_LIMIT
from paytungan.common.schemas import InSchema, OutSchema
from paytungan.splitting import ChargesInput, ItemInput, MemberValueInput, PayerInput

CategoryLiteral = Literal[
    "food",
    "transport",
    "lodging",
    "groceries",
    "entertainment",
    "utilities",
    "shopping",
    "other",
]
ModeLiteral = Literal["equal", "exact", "percent", "shares", "itemized"]
assert set(get_args(CategoryLiteral)) == set(Category.values)
assert set(get_args(ModeLiteral)) == set(SplitMode.values)

MAX_ROWS = 500  # payers, split members, items, an item's member_ids: far beyond a real receipt
MAX_ID = 2**63 - 1  # PostgreSQL bigint: larger ids would fail in the database, not here


def _decimal_text(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(
            _(
                'Amounts, percents, shares and rates are decimal strings such as "125000" or '
                '"12.50", not JSON numbers.'
            )
        )
    return value


def _clean_text(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded to UTF-8: both
    # would fail at the database, so they are refused here as invalid input.
    if "\x00" in value:
        raise ValueError(_("Text must not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


def _strip_required(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(_("This must not be blank."))
    return value


_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: object) -> object:
    # Only "YYYY-MM-DD": pydantic would otherwise also take numbers (as Unix timestamps).
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(_('Date must be a string like "2026-11-20".'))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _('"{value}" is not a valid date (YYYY-MM-DD).').format(value=value)
        ) from None


DecimalText = Annotated[str, BeforeValidator(_decimal_text), Field(max_length=64)]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_clean_text)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


# --- in --------------------------------------------------------------------------------------
class PayerIn(InSchema):
    member_id: Id
    amount: DecimalText


class SplitMemberIn(InSchema):
    member_id: Id
    # exact: an amount, percent: "33.5", shares: "2"; null (or absent) in equal mode.
    value: DecimalText | None = None


class ItemIn(InSchema):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    quantity: Annotated[int, Strict()] = 1
    unit_price: DecimalText
    member_ids: Annotated[list[Id], Field(max_length=MAX_ROWS)]


class ChargesIn(InSchema):
    discount: DecimalText = "0"
    discount_percent: DecimalText = "0"
    service_percent: DecimalText = "0"
    tax_percent: DecimalText = "0"
    tip: DecimalText = "0"


class SplitIn(InSchema):
    mode: ModeLiteral
    members: Annotated[list[SplitMemberIn], Field(max_length=MAX_ROWS)] = []
    items: Annotated[list[ItemIn], Field(max_length=MAX_ROWS)] = []
    charges: ChargesIn = ChargesIn()


class BillIn(InSchema):
    title: Annotated[Text, AfterValidator(_strip_required), Field(max_length=200)]
    date: IsoDate | None = None  # default: today in the app's time zone (Asia/Jakarta)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None  # default: the group's
    # Group-currency units per one bill-currency unit; only (and then required) for a bill in
    # another currency than the group's.
    exchange_rate: DecimalText | None = None
    category: CategoryLiteral = "other"
    notes: Annotated[Text, Field(max_length=2000)] = ""
    payers: Annotated[list[PayerIn], Field(max_length=MAX_ROWS)]
    split: SplitIn
    total: DecimalText | None = None  # required except for itemized bills (computed there)

    def to_data(self) -> BillData:
        """The body as the bill services take it (bills.inputs)."""
        charges = self.split.charges
        return BillData(
            title=self.title,
            mode=self.split.mode,
            payers=tuple(PayerInput(p.member_id, p.amount) for p in self.payers),
            members=tuple(MemberValueInput(m.member_id, m.value) for m in self.split.members),
            items=tuple(
                ItemInput(item.name, item.quantity, item.unit_price, tuple(item.member_ids))
                for item in self.split.items
            ),
            charges=ChargesInput(
                discount=charges.discount,
                discount_percent=charges.discount_percent,
                service_percent=charges.service_percent,
                tax_percent=charges.tax_percent,
                tip=charges.tip,
            ),
            total=self.total,
            date=self.date,
            currency=self.currency,
            exchange_rate=self.exchange_rate,
            category=self.category,
            notes=self.notes,
        )


class BillUpdateIn(BillIn):
    """PUT replaces the bill. `version` is the one the client read; a stale one is a 409.
    An omitted `date` keeps the bill's date (create defaults it to today)."""

    version: Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]


# --- out -------------------------------------------------------------------------------------
class PayerOut(OutSchema):
    member_id: int
    amount: str  # group currency
    original_amount: str  # bill currency (equal to amount unless the bill is foreign)


class ShareOut(OutSchema):
    member_id: int
    amount: str  # group currency; the shares sum exactly to the bill's total
    original_amount: str  # bill currency


class BreakdownOut(OutSchema):
    """One member's part of an itemized bill, in the bill's own currency."""

    member_id: int
    items: str
    discount: str  # the positive amount taken off
    service: str
    tax: str
    tip: str
    total: str


class StatusOut(OutSchema):
    """A member who owes for this bill (their share exceeds what they paid for it)."""

    member_id: int
    status: Literal["paid_back", "owes"]
    amount: str  # what they owe for this bill (group currency)
    paid_back: str  # confirmed payments from them tied to this bill (group currency)


class SplitMemberOut(OutSchema):
    member_id: int
    value: str | None = None


class ItemOut(OutSchema):
    name: str
    quantity: int
    unit_price: str
    member_ids: list[int]


class ChargesOut(OutSchema):
    discount: str
    discount_percent: str
    service_percent: str
    tax_percent: str
    tip: str


class SplitOut(OutSchema):
    """The split as submitted, so the bill can be edited again exactly as it was entered."""

    mode: ModeLiteral
    members: list[SplitMemberOut]
    items: list[ItemOut]
    charges: ChargesOut


class BillPreviewOut(OutSchema):
    """A computed bill. `total`, `payers[].amount` and `shares[].amount` are in the group's
    currency (`group_currency`); `original_total` and the `original_amount`s in the bill's
    `currency`; `breakdown` (itemized bills only, else null) in the bill's currency."""

    group_id: int
    title: str
    date: dt.date
    category: CategoryLiteral
    notes: str
    currency: str
    exchange_rate: str | None
    group_currency: str
    total: str
    original_total: str
    payers: list[PayerOut]
    split: SplitOut
    shares: list[ShareOut]
    breakdown: list[BreakdownOut] | None
    status: list[StatusOut]


class BillOut(BillPreviewOut):
    id: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None


class BillPayerRowOut(OutSchema):
    member_id: int
    amount: str


class BillListItemOut(OutSchema):
    id: int
    title: str
    date: dt.date
    category: CategoryLiteral
    split_mode: ModeLiteral
    currency: str
    total: str  # group currency
    original_total: str  # bill currency
    payers: list[BillPayerRowOut]  # group currency
    my_share: str  # the caller's share (group currency), "0" when they have none
    created_at: dt.datetime


class BillListOut(OutSchema):
    items: list[BillListItemOut]
    next_cursor: str | None


class BillFilters(Schema):
    """`GET .../bills` query: `from` and `to` are inclusive dates; `member_id` keeps bills the
    member paid for or has a share in; `q` searches title and notes."""

    date_from: IsoDate | None = Field(default=None, alias="from")
    date_to: IsoDate | None = Field(default=None, alias="to")
    member_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    category: CategoryLiteral | None = None
    q: Annotated[Text, Field(max_length=200)] | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
