"""compute_bill: validate a bill body and compute who owes what, exactly and deterministically.

Everything is parsed and checked first, collecting every field error; only a valid bill gets its
content tie key and is allocated, so the result depends on the content alone (preview == save).
Items are refused outside itemized mode, members inside it, and non-zero charges outside it:
input that would be ignored is reported instead.
"""

from dataclasses import dataclass, replace
from typing import Any

from paytungan.money import MoneyError, exponent, to_decimal_string
from paytungan.money.text import Text as _
from paytungan.splitting.canonical import tie_key
from paytungan.splitting.charges import (
    NO_CHARGES,
    ChargeTotals,
    ParsedCharges,
    canonical_charges,
    charge_totals,
    parse_charges,
    reject_charges,
)
from paytungan.splitting.errors import FieldErrors, SplitError
from paytungan.splitting.fields import amount_field, money_text
from paytungan.splitting.inputs import BillInput
from paytungan.splitting.itemized import split_itemized
from paytungan.splitting.items import ParsedItem, parse_items
from paytungan.splitting.member_modes import (
    MEMBER_MODES,
    ParsedMember,
    parse_members,
    split_members,
)
from paytungan.splitting.payers import check_payers_match_total, parse_payers
from paytungan.splitting.results import BillResult

MODES = (*MEMBER_MODES, "itemized")


@dataclass(frozen=True)
class _MemberSplit:
    members: list[ParsedMember]
    total: int


@dataclass(frozen=True)
class _ItemizedSplit:
    items: list[ParsedItem]
    charges: ParsedCharges
    totals: ChargeTotals

    @property
    def total(self) -> int:
        return self.totals.total


def compute_bill(bill: BillInput) -> BillResult:
    """Shares, payments and (itemized) breakdown of ``bill``; raises SplitError when invalid."""
    try:
        exponent(bill.currency)
    except MoneyError as error:
        # Every amount depends on the currency's decimals, so nothing else can be checked.
        raise SplitError({"currency": [error.message]}) from None
    errors = FieldErrors()
    if bill.mode not in MODES:
        errors.add(
            "split.mode",
            _(
                "Unknown mode {mode}: use one of {modes}.",
                mode=repr(bill.mode),
                modes=", ".join(MODES),
            ),
        )
    given_total = None
    if bill.total is not None:
        given_total = amount_field(
            bill.total, bill.currency, "total", errors, label=_("Total"), allow_zero=False
        )
    paid = parse_payers(bill.payers, bill.currency, errors)
    split: _MemberSplit | _ItemizedSplit | None = None
    if bill.mode == "itemized":
        split = _validate_itemized(bill, given_total, errors)
    elif bill.mode in MEMBER_MODES:
        split = _validate_member_split(bill, given_total, errors)
    if split is not None and paid is not None:
        check_payers_match_total(paid, split.total, bill.currency, errors)
    errors.raise_if_any()
    if split is None or paid is None:  # unreachable: a failed part always records an error
        raise SplitError({"split": [_("The bill could not be validated.")]})

    key = tie_key(_content(bill, paid, split))
    if isinstance(split, _ItemizedSplit):
        breakdown = split_itemized(split.items, split.totals, key)
        shares = {member_id: part.total for member_id, part in breakdown.items()}
        return BillResult(bill.currency, split.total, paid, shares, breakdown, key)
    shares = split_members(bill.mode, split.members, split.total, key)
    return BillResult(bill.currency, split.total, paid, shares, None, key)


def itemized_total(bill: BillInput) -> int:
    """What an itemized bill's items and charges come to, in minor units, by the arithmetic of
    `compute_bill` (discount, service on the rest, tax on both, tip): the amount to give a payer
    who pays the whole receipt. Its members, payers and total are not looked at. Raises
    SplitError when the items or charges are invalid."""
    try:
        exponent(bill.currency)
    except MoneyError as error:
        raise SplitError({"currency": [error.message]}) from None
    errors = FieldErrors()
    split = _validate_itemized(replace(bill, members=(), total=None), None, errors)
    errors.raise_if_any()
    if split is None:  # unreachable: a failed part always records an error
        raise SplitError({"split": [_("The bill could not be validated.")]})
    return split.total


def _validate_member_split(
    bill: BillInput, given_total: int | None, errors: FieldErrors
) -> _MemberSplit | None:
    if bill.total is None:
        errors.add("total", _("Total is required in {mode} mode.", mode=bill.mode))
    if len(bill.items) > 0:
        errors.add("split.items", _("Items are only used in itemized mode; leave them out."))
    reject_charges(bill.charges, bill.currency, errors)
    members = parse_members(bill.mode, bill.members, bill.currency, given_total, errors)
    if members is None or given_total is None:
        return None
    return _MemberSplit(members, given_total)


def _validate_itemized(
    bill: BillInput, given_total: int | None, errors: FieldErrors
) -> _ItemizedSplit | None:
    if len(bill.members) > 0:
        errors.add(
            "split.members",
            _("Itemized bills are split by who had each item; leave split.members empty."),
        )
    items = parse_items(bill.items, bill.currency, errors)
    charges = parse_charges(bill.charges, bill.currency, errors)
    if items is None or charges is None:
        return None
    subtotal = sum(item.line_total for item in items)
    totals = charge_totals(subtotal, charges, bill.currency, errors)
    if totals is None:
        return None
    if given_total is not None and given_total != totals.total:
        errors.add(
            "total",
            _(
                "Total {total} does not match the items and charges, which come to {computed}.",
                total=money_text(given_total, bill.currency),
                computed=money_text(totals.total, bill.currency),
            ),
        )
        return None
    return _ItemizedSplit(items, charges, totals)


def _content(
    bill: BillInput, paid: dict[int, int], split: _MemberSplit | _ItemizedSplit
) -> dict[str, Any]:
    """The bill's content in canonical form: parsed values, not their spelling."""
    currency = bill.currency
    members: list[list[Any]] = []
    items: list[list[Any]] = []
    charges = NO_CHARGES
    if isinstance(split, _MemberSplit):
        members = [[member.member_id, member.canonical] for member in split.members]
    else:
        charges = split.charges
        items = [
            [
                item.name,
                item.quantity,
                to_decimal_string(item.unit_price, currency),
                list(item.member_ids),
            ]
            for item in split.items
        ]
    return {
        "currency": currency,
        "mode": bill.mode,
        "title": bill.title,
        "date": bill.date,
        "total": to_decimal_string(split.total, currency),
        "payers": [
            [member_id, to_decimal_string(amount, currency)] for member_id, amount in paid.items()
        ],
        "members": members,
        "items": items,
        "charges": canonical_charges(charges, currency),
    }
