"""The only place the import touches the other apps' write code.

The import reaches the other apps' services only through these functions, so a rename or a new
signature is a change here and nowhere else.

Bills go through the same computation as every bill (`bills.compute.draft_bill`: the pure
core's split, validated against the group) and are written by the one bill writer
(`bills.store.write_bills`), in bulk: the whole file's rows in one round trip, one balance
UPDATE, one pair-debt upsert (the import writes one activity entry for the whole file), where
calling `bill_create` per row made a 1,000-row file take 18-30 s on the shared 2-core machine
(docs/decisions/0017-imports.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from paytungan.accounts.models import User
from paytungan.bills.compute import draft_bill, referenced_member_ids
from paytungan.bills.inputs import BillData
from paytungan.bills.models import Bill
from paytungan.bills.store import write_bills
from paytungan.common.errors import Invalid
from paytungan.common.sql import reserve_ids
from paytungan.groups.balances import apply_balance_deltas
from paytungan.groups.models import Group, Member
from paytungan.groups.pair_debts import add_pair_debts, payment_debt
from paytungan.groups.services import member_add
from paytungan.money.text import Text as _
from paytungan.payments.models import Payment, PaymentStatus

BATCH = 500


def add_guest(*, me: Member, name: str) -> Member:
    return member_add(me=me, name=name)


class RowInvalid(Invalid):
    """A bill of the file the bill rules refuse; `row` is the file's."""

    def __init__(self, row: int, error: Invalid) -> None:
        fields = error.details.get("fields") or {}
        first = next(iter(fields.values()), [error.message])[0]
        super().__init__(
            _("Row {row}: {message}", row=row, message=first),
            code="import_invalid",
            fields={"file": [first]},
        )
        self.details["row"] = row


@dataclass(frozen=True)
class SettledPayment:
    row: int
    from_member_id: int
    to_member_id: int
    amount: int  # minor units of the group's currency
    note: str


def persist_computed_bills(
    *, me: Member, user: User, group: Group, bills: Sequence[tuple[int, BillData]]
) -> tuple[dict[int, int], dict[int, int]]:
    """Compute and write `(row, bill)` pairs, all members named being active (the caller holds
    the group lock and checked them). Returns the (paid, owed) deltas to apply."""
    today = timezone.localdate()
    active = {mid for _, data in bills for _, mid in referenced_member_ids(data)}
    records = []
    for row, data in bills:
        try:
            draft = draft_bill(group=group, data=data, active_member_ids=active, default_date=today)
        except Invalid as exc:
            raise RowInvalid(row, exc) from None
        records.append(draft.record())
    # The one bill writer (bills.store), in one round trip where ids can be reserved.
    write_bills(
        group_id=group.pk,
        records=records,
        created_by_id=user.pk,
        ids=reserve_ids(Bill, len(records)),
    )
    paid: dict[int, int] = {}
    owed: dict[int, int] = {}
    debts: list[tuple[int, int, int]] = []
    for record in records:
        for line in record.payers:
            paid[line.member_id] = paid.get(line.member_id, 0) + line.amount
        for line in record.shares:
            owed[line.member_id] = owed.get(line.member_id, 0) + line.amount
        debts += record.bill_debts()
    add_pair_debts(group_id=group.pk, debts=debts)
    return paid, owed


def persist_settled_payments(
    *, me: Member, group: Group, payments: Sequence[SettledPayment]
) -> tuple[dict[int, int], dict[int, int]]:
    """Payments that already happened (they are in the other app's history): recorded by `me`
    and confirmed, so they count in the balances as they did there. Returns the (paid, owed)
    deltas to apply."""
    now = timezone.now()
    rows = [
        Payment(
            group=group,
            from_member_id=p.from_member_id,
            to_member_id=p.to_member_id,
            amount=p.amount,
            currency=group.currency,
            note=p.note[:200],
            status=PaymentStatus.CONFIRMED,
            is_overpayment=False,
            recorded_by_id=me.user_id,
            created_at=now,
            decided_at=now,
        )
        for p in payments
    ]
    Payment.objects.bulk_create(rows, batch_size=BATCH)
    paid: dict[int, int] = {}
    owed: dict[int, int] = {}
    for p in payments:
        paid[p.from_member_id] = paid.get(p.from_member_id, 0) + p.amount
        owed[p.to_member_id] = owed.get(p.to_member_id, 0) + p.amount
    add_pair_debts(
        group_id=group.pk,
        debts=[
            payment_debt(
                from_member_id=p.from_member_id, to_member_id=p.to_member_id, amount=p.amount
            )
            for p in payments
        ],
    )
    return paid, owed


def apply_balances(
    *, group: Group, deltas: Sequence[tuple[dict[int, int], dict[int, int]]], active: set[int]
) -> None:
    """Move the members' running balances by the sum of the deltas, in one UPDATE that also
    proves every member named is still active."""
    paid: dict[int, int] = {}
    owed: dict[int, int] = {}
    for p, o in deltas:
        for k, v in p.items():
            paid[k] = paid.get(k, 0) + v
        for k, v in o.items():
            owed[k] = owed.get(k, 0) + v
    moved = apply_balance_deltas(group_id=group.pk, paid=paid, owed=owed, active=active)
    if moved != len(active):  # pragma: no cover - the caller checked them under the group lock
        raise RuntimeError("a member named by the import is not active")
