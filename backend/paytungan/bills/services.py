"""Bill writes: create, update, delete (soft) and restore.

Each is one transaction that writes the bill's rows, moves the members' running balances by
exactly the bill's difference (apply_balance_deltas), keeps the pairwise debts (pair_debts) and
records the activity.

Locks follow groups.locks: the group row first (which also gives the currency to compute in),
then the bill, then the members through the one balance UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.bills.compute import Draft, Line, draft_bill, referenced_member_ids
from paytungan.bills.inputs import BillData
from paytungan.bills.models import Bill, BillDebt, BillPayer, BillShare
from paytungan.bills.store import assign, bill_statements, new_rows
from paytungan.common.errors import Conflict, Invalid, NotFound
from paytungan.common.sql import insert_statements, run_together
from paytungan.groups.activity import activity_record, activity_row, diff
from paytungan.groups.balances import apply_balance_deltas, balance_statement
from paytungan.groups.locks import lock_group, member_states, write_transaction
from paytungan.groups.models import Group, Member
from paytungan.groups.pair_debts import add_pair_debts, pair_debts_statement
from paytungan.money import to_decimal_string
from paytungan.splitting import bill_debts
from paytungan.splitting.canonical import canonical_decimal


@dataclass
class SavedBill:
    """A bill as just written, with its rows, so the response needs no re-read (its payment
    status: bills.statuses)."""

    bill: Bill
    payers: list[BillPayer]
    shares: list[BillShare]


def lock_bill(*, group: Group, bill_id: int) -> Bill:
    """The bill, locked after its group (groups.locks order: the group lock already orders bill
    writers; this lock keeps the order explicit for any write that doesn't take it)."""
    bill = Bill.objects.select_for_update(no_key=True).filter(group=group, pk=bill_id).first()
    if bill is None:
        raise NotFound(_("No such bill."), code="bill_not_found")
    bill.group = group
    return bill


# --- create ----------------------------------------------------------------------------------
@write_transaction
def bill_create(*, me: Member, user: User, data: BillData) -> SavedBill:
    """Two statements on PostgreSQL: the group lock (which also reserves the bill's id), then
    every row and the balance UPDATE (which also proves the members active) as one."""
    group = lock_group(group_id=me.group_id, reserve_id_of=Bill)
    me.group = group
    ids = {mid for __, mid in referenced_member_ids(data)}
    today = timezone.localdate()
    try:
        # Optimistic: every named member active. The balance UPDATE below checks it in the same
        # statement that moves the balances, saving a read on the common path.
        draft = draft_bill(group=group, data=data, active_member_ids=ids, default_date=today)
    except Invalid:
        _draft_with_states(group=group, data=data, ids=ids, default_date=today)
        raise
    record = draft.record()
    reserved = group.reserved_id  # type: ignore[attr-defined]
    (written,), statements = bill_statements(
        group_id=group.pk,
        records=[record],
        created_by_id=user.pk,
        ids=None if reserved is None else [reserved],
    )
    bill = written.bill
    bill.group = group
    after = _snapshot(bill, group, record.payers, record.shares)
    activity = activity_row(
        by=me,
        verb="bill.created",
        target_type="bill",
        target_id=bill.pk,
        summary=f'{me.name} added "{bill.title}" ({after["total"]} {group.currency})',
        changes=diff({}, after),
    )
    statements += insert_statements([activity])
    pairs = pair_debts_statement(group_id=group.pk, debts=draft.debts)
    balances = balance_statement(
        group_id=group.pk, paid=draft.result.paid, owed=draft.result.shares, active=ids
    )
    # The balance UPDATE goes last: its row count is the members it found active.
    moved = run_together(
        [*statements, *([pairs] if pairs else []), *([balances] if balances else [])]
    )
    if moved != len(ids):
        # Someone named is not (or no longer) an active member: the exact 422, from their state
        # (raising rolls back the rows just written with the rest of the transaction).
        _draft_with_states(group=group, data=data, ids=ids, default_date=today)
        raise RuntimeError("the members' states changed under the group lock")  # pragma: no cover
    return SavedBill(bill, written.payers, written.shares)


def _draft_with_states(*, group: Group, data: BillData, ids: set[int], default_date: Any) -> Draft:
    """The draft against the members as they are: raises the 422 naming every inactive or
    unknown member along with any other error."""
    states = member_states(group_id=group.pk, ids=ids)
    active = {mid for mid, m in states.items() if m.is_active}
    return draft_bill(group=group, data=data, active_member_ids=active, default_date=default_date)


# --- update ----------------------------------------------------------------------------------
@write_transaction
def bill_update(*, me: Member, user: User, bill: Bill, data: BillData, version: int) -> SavedBill:
    """Replace the bill if `version` (the one the client read) is still current (409
    `stale_version` otherwise)."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    bill = lock_bill(group=group, bill_id=bill.pk)
    if bill.deleted_at is not None:
        raise Conflict(_("This bill is deleted; restore it before editing."), code="bill_deleted")
    if version != bill.version:
        raise Conflict(
            _("Someone changed this bill since you opened it; reload it and try again."),
            code="stale_version",
            details={"current_version": bill.version},
        )
    old_payers, old_shares = _lines(bill)
    old_tie_key, was_deleted = bill.tie_key, bill.deleted_at is not None
    old_ids = {line.member_id for line in [*old_payers, *old_shares]}
    new_ids = {mid for __, mid in referenced_member_ids(data)}
    states = {
        mid: m.is_active
        for mid, m in member_states(group_id=group.pk, ids=old_ids | new_ids).items()
    }
    # A member who has left may stay on a bill they were already on (e.g. retitling an old bill),
    # as long as their part does not change; _check_left_members enforces the second half.
    usable = {mid for mid, active in states.items() if active or mid in old_ids}
    draft = draft_bill(group=group, data=data, active_member_ids=usable, default_date=bill.date)

    paid = _delta(draft.payer_lines(), old_payers)
    owed = _delta(draft.share_lines(), old_shares)
    _check_left_members(group=group, states=states, paid=paid, owed=owed)

    before = _snapshot(bill, group, old_payers, old_shares)
    record = draft.record()
    assign(bill, record)
    bill.version += 1
    bill.save()
    BillPayer.objects.filter(bill=bill).delete()
    BillShare.objects.filter(bill=bill).delete()
    BillDebt.objects.filter(bill=bill).delete()
    # The old rows are gone first: one statement can't both delete and re-insert the unique keys.
    written, statements = new_rows(bill=bill, record=record)
    run_together(statements)
    payers, shares = written.payers, written.shares
    apply_balance_deltas(group_id=group.pk, paid=paid, owed=owed)
    add_pair_debts(
        group_id=group.pk,
        debts=draft.debts,
        minus=_debts_of(old_payers, old_shares, old_tie_key) if not was_deleted else (),
    )
    after = _snapshot(bill, group, draft.payer_lines(), draft.share_lines())
    activity_record(
        by=me,
        verb="bill.updated",
        target_type="bill",
        target_id=bill.pk,
        summary=f'{me.name} edited "{bill.title}"',
        changes=diff(before, after),
    )
    return SavedBill(bill, payers, shares)


# --- delete and restore ----------------------------------------------------------------------
@write_transaction
def bill_delete(*, me: Member, user: User, bill: Bill) -> SavedBill:
    """Soft delete: the bill stays (it can be restored); its effect on balances is reversed."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    bill = lock_bill(group=group, bill_id=bill.pk)
    if bill.deleted_at is not None:
        raise Conflict(_("This bill is already deleted."), code="bill_deleted")
    return _toggle(me=me, user=user, bill=bill, deleted=True)


@write_transaction
def bill_restore(*, me: Member, user: User, bill: Bill) -> SavedBill:
    """Undo a delete: the bill counts again in balances."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    bill = lock_bill(group=group, bill_id=bill.pk)
    if bill.deleted_at is None:
        raise Conflict(_("This bill is not deleted."), code="bill_not_deleted")
    return _toggle(me=me, user=user, bill=bill, deleted=False)


def _toggle(*, me: Member, user: User, bill: Bill, deleted: bool) -> SavedBill:
    group = me.group
    payer_rows = list(BillPayer.objects.filter(bill=bill))
    share_rows = list(BillShare.objects.filter(bill=bill))
    sign = -1 if deleted else 1
    paid = {row.member_id: sign * row.amount for row in payer_rows}
    owed = {row.member_id: sign * row.amount for row in share_rows}
    states = {
        mid: m.is_active
        for mid, m in member_states(group_id=group.pk, ids=set(paid) | set(owed)).items()
    }
    _check_left_members(group=group, states=states, paid=paid, owed=owed)
    before = bill.deleted_at
    bill.deleted_at = timezone.now() if deleted else None
    bill.save(update_fields=["deleted_at", "updated_at"])
    apply_balance_deltas(group_id=group.pk, paid=paid, owed=owed)
    debts = _debts_of(
        [Line(r.member_id, r.amount, r.original_amount) for r in payer_rows],
        [Line(r.member_id, r.amount, r.original_amount) for r in share_rows],
        bill.tie_key,
    )
    if deleted:
        add_pair_debts(group_id=group.pk, debts=(), minus=debts)
    else:
        add_pair_debts(group_id=group.pk, debts=debts)
    total = to_decimal_string(bill.total, group.currency)
    verb, done = ("bill.deleted", "deleted") if deleted else ("bill.restored", "restored")
    activity_record(
        by=me,
        verb=verb,
        target_type="bill",
        target_id=bill.pk,
        summary=f'{me.name} {done} "{bill.title}" ({total} {group.currency})',
        changes=diff(
            {"deleted_at": before.isoformat() if before else None},
            {"deleted_at": bill.deleted_at.isoformat() if bill.deleted_at else None},
        ),
    )
    return SavedBill(bill, payer_rows, share_rows)


# --- helpers ---------------------------------------------------------------------------------
def _check_left_members(
    *, group: Group, states: Mapping[int, bool], paid: Mapping[int, int], owed: Mapping[int, int]
) -> None:
    """A member who has left has a zero balance (a database constraint); refuse, with a clear
    409, a change that would move it rather than let the constraint fail."""
    moved = sorted(
        mid
        for mid, active in states.items()
        if not active and paid.get(mid, 0) - owed.get(mid, 0) != 0
    )
    if moved:
        names = ", ".join(
            Member.objects.filter(pk__in=moved).order_by("pk").values_list("name", flat=True)
        )
        raise Conflict(
            _("{names} left the group; this change would alter what they owe or are owed.").format(
                names=names
            ),
            code="member_left",
            details={"member_ids": moved},
        )


def _lines(bill: Bill) -> tuple[list[Line], list[Line]]:
    payers = [
        Line(p.member_id, p.amount, p.original_amount) for p in BillPayer.objects.filter(bill=bill)
    ]
    shares = [
        Line(s.member_id, s.amount, s.original_amount, s.breakdown)
        for s in BillShare.objects.filter(bill=bill)
    ]
    return payers, shares


def _debts_of(
    payers: Iterable[Line], shares: Iterable[Line], tie_key: str
) -> list[tuple[int, int, int]]:
    """A bill's (debtor, creditor, amount) debts from its rows, exactly as they were drafted
    (the core's bill_debts is a pure function of them and the tie key)."""
    paid: dict[int, int] = {}
    owed: dict[int, int] = {}
    for line in payers:
        paid[line.member_id] = paid.get(line.member_id, 0) + line.amount
    for line in shares:
        owed[line.member_id] = owed.get(line.member_id, 0) + line.amount
    return bill_debts(paid, owed, tie_key)


def _delta(new: Iterable[Line], old: Iterable[Line]) -> dict[int, int]:
    delta: dict[int, int] = {}
    for line in new:
        delta[line.member_id] = delta.get(line.member_id, 0) + line.amount
    for line in old:
        delta[line.member_id] = delta.get(line.member_id, 0) - line.amount
    return delta


def _snapshot(
    bill: Bill, group: Group, payers: Iterable[Line], shares: Iterable[Line]
) -> dict[str, Any]:
    """What the activity log shows and diffs: the bill's visible facts, amounts as strings."""
    gc = group.currency
    return {
        "title": bill.title,
        "date": bill.date.isoformat(),
        "category": bill.category,
        "notes": bill.notes,
        "currency": bill.currency,
        "exchange_rate": None
        if bill.exchange_rate is None
        else canonical_decimal(bill.exchange_rate),
        "total": to_decimal_string(bill.total, gc),
        "original_total": to_decimal_string(bill.original_total, bill.currency),
        "split_mode": bill.split_mode,
        "payers": {
            str(line.member_id): to_decimal_string(line.amount, gc)
            for line in sorted(payers, key=lambda line: line.member_id)
        },
        "shares": {
            str(line.member_id): to_decimal_string(line.amount, gc)
            for line in sorted(shares, key=lambda line: line.member_id)
        },
    }
