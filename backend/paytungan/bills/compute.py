"""A bill (bills.inputs.BillData) in, a computed bill out: the one path shared by preview,
create and update, so a preview is the saved bill by construction.

The bill is handed to the pure core (paytungan.splitting) with its raw strings; the core parses
and validates every amount and splits exactly. Around it this module adds what needs the group:
default currency, the exchange-rate rules, and that every member id is an active member.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from paytungan.bills.inputs import BillData
from paytungan.bills.store import BillRecord, Line
from paytungan.common.errors import Invalid
from paytungan.groups.models import Group
from paytungan.splitting import (
    BillInput,
    BillResult,
    SplitError,
    bill_debts,
    compute_bill,
    convert_result,
)


@dataclass(frozen=True)
class Draft:
    """A valid, computed bill, not yet saved. `original` is in the bill's currency, `result` in
    the group's (the same object unless the bill is foreign)."""

    title: str
    date: dt.date
    category: str
    notes: str
    currency: str
    exchange_rate: Decimal | None
    split: dict[str, Any]  # as submitted
    original: BillResult
    result: BillResult
    debts: list[tuple[int, int, int]]  # (debtor, creditor, amount) in the group currency

    @property
    def member_ids(self) -> set[int]:
        return set(self.result.paid) | set(self.result.shares)

    def payer_lines(self) -> list[Line]:
        return [
            Line(member_id, amount, self.original.paid[member_id])
            for member_id, amount in sorted(self.result.paid.items())
        ]

    def record(self) -> BillRecord:
        """The bill as its rows will hold it (bills.store)."""
        return BillRecord(
            title=self.title,
            date=self.date,
            category=self.category,
            notes=self.notes,
            currency=self.currency,
            exchange_rate=self.exchange_rate,
            original_total=self.original.total,
            total=self.result.total,
            split=self.split,
            tie_key=self.result.tie_key,
            payers=self.payer_lines(),
            shares=self.share_lines(),
            debts=self.debts,
        )

    def share_lines(self) -> list[Line]:
        breakdown = self.original.breakdown or {}
        return [
            Line(
                member_id,
                amount,
                self.original.shares[member_id],
                asdict(breakdown[member_id]) if member_id in breakdown else None,
            )
            for member_id, amount in sorted(self.result.shares.items())
        ]


def referenced_member_ids(data: BillData) -> list[tuple[str, int]]:
    """(field path, member id) for every member the bill names."""
    return data.member_refs()


def draft_bill(
    *, group: Group, data: BillData, active_member_ids: Collection[int], default_date: dt.date
) -> Draft:
    """Validate and compute `data` for `group`; Invalid (422) with every field error at once."""
    fields: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        if message not in fields.setdefault(path, []):
            fields[path].append(message)

    for path, member_id in referenced_member_ids(data):
        if member_id not in active_member_ids:
            add(
                path,
                _("Member {member_id} is not an active member of this group.").format(
                    member_id=member_id
                ),
            )

    currency = data.currency or group.currency
    foreign = currency != group.currency
    if foreign and data.exchange_rate is None:
        add(
            "exchange_rate",
            _(
                "The bill is in {currency} and the group in {group_currency}: give the exchange "
                "rate ({group_currency} for one {currency})."
            ).format(currency=currency, group_currency=group.currency),
        )
    if not foreign and data.exchange_rate is not None:
        add(
            "exchange_rate",
            _("Leave exchange_rate empty (null) for a bill in the group's currency."),
        )

    bill_date = data.date or default_date
    original: BillResult | None = None
    try:
        original = compute_bill(_bill_input(data, currency=currency, date=bill_date))
    except SplitError as error:
        for path, messages in error.fields.items():
            for message in messages:
                add(path, message)

    result = original
    if original is not None and foreign and data.exchange_rate is not None:
        try:
            result = convert_result(original, to_currency=group.currency, rate=data.exchange_rate)
        except SplitError as error:
            for path, messages in error.fields.items():
                for message in messages:
                    add(path, message)
    if fields or original is None or result is None:
        raise Invalid(_("The bill is invalid."), fields=fields or {"body": [_("Invalid bill.")]})

    return Draft(
        title=data.title,
        date=bill_date,
        category=data.category,
        notes=data.notes,
        currency=currency,
        exchange_rate=Decimal(data.exchange_rate) if foreign and data.exchange_rate else None,
        split=data.split_json(),
        original=original,
        result=result,
        debts=bill_debts(result.paid, result.shares, result.tie_key),
    )


def _bill_input(data: BillData, *, currency: str, date: dt.date) -> BillInput:
    return BillInput(
        currency=currency,
        mode=data.mode,
        payers=data.payers,
        members=data.members,
        items=data.items,
        charges=data.charges,
        total=data.total,
        title=data.title,
        date=date.isoformat(),
    )
