"""Bill writes: create, update, delete (soft) and restore.

Each is one transaction that writes the bill's rows, moves the members' running balances by
exactly the bill's difference (apply_balance_deltas), keeps the pairwise debts (pair_debts) and
records the activity.

Locks follow groups.locks: the group row first (which also gives the currency to compute in),
then the bill (both in one statement: groups.locks.lock_group_and), then the members through the
one balance UPDATE, sent last with the write's other rows (common.sql.run_together).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DataError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.bills import statuses
from paytungan.bills.compute import Draft, Line, draft_bill, referenced_member_ids
from paytungan.bills.inputs import BillData
from paytungan.bills.models import Bill, BillPayer, BillShare
from paytungan.bills.store import (
    BillRecord,
    StoredRows,
    assign,
    bill_parts,
    bill_statements,
    new_rows,
    stored_rows,
)
from paytungan.common.errors import Conflict, Invalid, NotFound
from paytungan.common.sql import (
    COUNT_CHECK_FAILED,
    Statement,
    checked_count,
    insert_select,
    insert_statements,
    run_together,
    update_statement,
    with_parts,
)
from paytungan.groups.activity import activity_row, diff
from paytungan.groups.balances import balance_part, balance_statement, rows_named
from paytungan.groups.locks import (
    RETRYABLE_SQLSTATES,
    lock_group,
    lock_group_and,
    lock_group_part,
    member_states,
    retrying,
    write_transaction,
)
from paytungan.groups.models import Activity, Group, Member
from paytungan.groups.pair_debts import pair_debts_part, pair_debts_statement
from paytungan.money import to_decimal_string
from paytungan.splitting.canonical import canonical_decimal


@dataclass
class SavedBill:
    """A bill as just written, with its rows, so the response needs no re-read (its payment
    status: bills.statuses)."""

    bill: Bill
    payers: list[BillPayer]
    shares: list[BillShare]
    # What confirmed payments paid back per member, when the write read it with the bill's
    # rows (under the group lock, so as after the commit); None: ask bills.statuses.
    paid_back: dict[int, int] | None = None


def lock_bill(*, group_id: int, bill_id: int) -> tuple[Group, Bill]:
    """The group and then the bill, locked in one statement (groups.locks order); 404 if the
    group has no such bill."""
    group, bill = lock_group_and(group_id=group_id, model=Bill, pk=bill_id)
    if bill is None:
        raise NotFound(_("No such bill."), code="bill_not_found")
    bill.group = group
    return group, bill


# --- create ----------------------------------------------------------------------------------
def bill_create(*, me: Member, user: User, data: BillData) -> SavedBill:
    """Create a bill. On PostgreSQL one statement (`_create_at_once`): outside a transaction it
    is the transaction (the whole create is one round trip); inside one (an Idempotency-Key's,
    a recurring run's) it joins it. Whenever that statement can't decide (a member named is
    not active, the group's currency changed or the group is gone since the caller's query, a
    deadlock), the create runs again the classic way, the group locked first in its own
    statement (`_create_locked`), which gives the exact answer."""
    if connection.vendor == "postgresql":
        if transaction.get_connection().in_atomic_block:
            saved = retrying(lambda: _create_at_once(me=me, user=user, data=data, alone=False))
        else:
            saved = _create_at_once(me=me, user=user, data=data, alone=True)
        if saved is not None:
            return saved
    return _create_locked(me=me, user=user, data=data)


def _create_at_once(*, me: Member, user: User, data: BillData, alone: bool) -> SavedBill | None:
    """The create as one statement (decision 0027), computed optimistically from the group as
    the caller's query read it and with every member named taken as active; the statement
    checks both. Its first part locks the group row, if its currency is still the one the bill
    was computed in, and every other part selects from that row, so locks are taken in the
    usual order (groups.locks): the group, then the pair debts and the members. The member
    UPDATE re-reads each row it waits for (READ COMMITTED), so balances add up as in the
    locked path. `alone` (no transaction around it): a member not found active fails the
    statement itself (common.sql.checked_count), so nothing is committed. None when nothing
    was written and the locked path must decide."""
    group = me.group
    ids = {mid for __, mid in referenced_member_ids(data)}
    try:
        draft = draft_bill(
            group=group, data=data, active_member_ids=ids, default_date=timezone.localdate()
        )
    except Invalid:
        return None  # the exact error comes from the members' states, under the lock
    record = draft.record()
    lock = lock_group_part(group_id=group.pk, currency=group.currency)
    written, parts = bill_parts(
        record=record, created_by_id=user.pk, source="g", group_sql='g."id"', name="b"
    )
    bill = written.bill
    bill.group = group
    activity = _created_activity(me=me, bill=bill, record=record, target_id=None)
    fixed = {"group_id": 'b."group_id"', "target_id": 'b."id"'}
    parts = [
        ("g", lock),
        *parts,
        ("a", insert_select(Activity, [activity], source="b", fixed=fixed, many=False)),
        ("pd", pair_debts_part(source="b", group_sql='b."group_id"', debts=draft.debts)),
        (
            "m",
            balance_part(
                source="b",
                group_sql='b."group_id"',
                paid=draft.result.paid,
                owed=draft.result.shares,
                active=ids,
            ),
        ),
    ]
    final = checked_count(returned="b", counted="m", expected=len(ids), strict=alone)
    sql, params = with_parts(parts, final)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            bill_id, moved, __ = cursor.fetchone()
    except (DataError, OperationalError) as exc:
        sqlstate = getattr(exc.__cause__, "sqlstate", None)
        if alone and (sqlstate == COUNT_CHECK_FAILED or sqlstate in RETRYABLE_SQLSTATES):
            return None  # the statement (its own transaction) left nothing behind
        raise
    if bill_id is None:
        return None  # no group row with that currency: nothing was written
    if moved != len(ids):  # in a transaction, whose owner rolls back what was written
        _draft_with_states(group=group, data=data, ids=ids, default_date=bill.date)
        raise RuntimeError("the members' states changed under the group lock")  # pragma: no cover
    written.set_id(bill_id=bill_id, group_id=group.pk)
    activity.target_id = bill_id
    return SavedBill(bill, written.payers, written.shares)


@write_transaction
def _create_locked(*, me: Member, user: User, data: BillData) -> SavedBill:
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
    activity = _created_activity(me=me, bill=bill, record=record, target_id=bill.pk)
    statements += insert_statements([activity])
    pairs = pair_debts_statement(group_id=group.pk, debts=draft.debts)
    balances = balance_statement(
        group_id=group.pk, paid=draft.result.paid, owed=draft.result.shares, active=ids
    )
    # The balance UPDATE goes last: its row count is the members it found active.
    moved = _send(statements, pairs, balances)
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
def bill_update(*, me: Member, user: User, bill_id: int, data: BillData, version: int) -> SavedBill:
    """Replace the bill if `version` (the one the client read) is still current (409
    `stale_version` otherwise). Three statements on PostgreSQL: the group and bill lock; the
    old rows, deleted and returned; the bill, its new rows, the activity, the pair debts and
    last the balance UPDATE (whose row count proves the members it must find active)."""
    group, bill = lock_bill(group_id=me.group_id, bill_id=bill_id)
    me.group = group
    if bill.deleted_at is not None:
        raise Conflict(_("This bill is deleted; restore it before editing."), code="bill_deleted")
    if version != bill.version:
        raise Conflict(
            _("Someone changed this bill since you opened it; reload it and try again."),
            code="stale_version",
            details={"current_version": bill.version},
        )
    old = stored_rows(bill_id=bill.pk, take=True, paid_back=_paid_back_query(bill, group))
    old_ids = {line.member_id for line in [*old.payers, *old.shares]}
    new_ids = {mid for __, mid in referenced_member_ids(data)}
    try:
        # Optimistic, as in create: every named member usable (a member who has left may stay
        # on a bill they were already on); the balance UPDATE checks it.
        draft = draft_bill(
            group=group, data=data, active_member_ids=old_ids | new_ids, default_date=bill.date
        )
    except Invalid:
        _check_edit(group=group, data=data, bill=bill, old=old, new_ids=new_ids)
        raise
    paid = _delta(draft.payer_lines(), old.payers)
    owed = _delta(draft.share_lines(), old.shares)
    # Who must be active: the members new to the bill, and anyone whose balance moves (a member
    # who has left has a zero balance: a database constraint).
    must = (new_ids - old_ids) | {
        mid for mid in set(paid) | set(owed) if paid.get(mid, 0) != owed.get(mid, 0)
    }

    before = _snapshot(bill, group, old.payers, old.shares)
    record = draft.record()
    assign(bill, record)
    bill.version += 1
    written, statements = new_rows(bill=bill, record=record)
    statements.insert(0, update_statement(bill))
    after = _snapshot(bill, group, draft.payer_lines(), draft.share_lines())
    statements += insert_statements(
        [
            activity_row(
                by=me,
                verb="bill.updated",
                target_type="bill",
                target_id=bill.pk,
                summary=f'{me.name} edited "{bill.title}"',
                changes=diff(before, after),
            )
        ]
    )
    pairs = pair_debts_statement(group_id=group.pk, debts=draft.debts, minus=old.debts)
    balances = balance_statement(group_id=group.pk, paid=paid, owed=owed, active=must)
    moved = _send(statements, pairs, balances)
    if balances is not None and moved != rows_named(paid=paid, owed=owed, active=must):
        _check_edit(group=group, data=data, bill=bill, old=old, new_ids=new_ids)
        raise RuntimeError("the members' states changed under the group lock")  # pragma: no cover
    return SavedBill(bill, written.payers, written.shares, old.paid_back)


def _paid_back_query(bill: Bill, group: Group) -> Statement | None:
    """The bill's payment status, to read with its rows: payments can't change under the group
    lock (every payment write takes it first), so it is what a read after the commit gives."""
    return statuses.paid_back_query(bill_id=bill.pk, currency=group.currency)


def _check_edit(
    *, group: Group, data: BillData, bill: Bill, old: StoredRows, new_ids: set[int]
) -> None:
    """The exact error of an edit that names a member it may not: the 422 for an inactive or
    unknown member new to the bill (with any other error of the bill), else the 409 for a
    member who has left and whose part would change."""
    old_ids = {line.member_id for line in [*old.payers, *old.shares]}
    states = {
        mid: m.is_active
        for mid, m in member_states(group_id=group.pk, ids=old_ids | new_ids).items()
    }
    usable = {mid for mid, active in states.items() if active or mid in old_ids}
    draft = draft_bill(group=group, data=data, active_member_ids=usable, default_date=bill.date)
    _check_left_members(
        group=group,
        states=states,
        paid=_delta(draft.payer_lines(), old.payers),
        owed=_delta(draft.share_lines(), old.shares),
    )


# --- delete and restore ----------------------------------------------------------------------
@write_transaction
def bill_delete(*, me: Member, user: User, bill_id: int) -> SavedBill:
    """Soft delete: the bill stays (it can be restored); its effect on balances is reversed."""
    group, bill = lock_bill(group_id=me.group_id, bill_id=bill_id)
    me.group = group
    if bill.deleted_at is not None:
        raise Conflict(_("This bill is already deleted."), code="bill_deleted")
    return _toggle(me=me, bill=bill, deleted=True)


@write_transaction
def bill_restore(*, me: Member, user: User, bill_id: int) -> SavedBill:
    """Undo a delete: the bill counts again in balances."""
    group, bill = lock_bill(group_id=me.group_id, bill_id=bill_id)
    me.group = group
    if bill.deleted_at is None:
        raise Conflict(_("This bill is not deleted."), code="bill_not_deleted")
    return _toggle(me=me, bill=bill, deleted=False)


def _toggle(*, me: Member, bill: Bill, deleted: bool) -> SavedBill:
    """Three statements on PostgreSQL after the lock's: the rows, then the bill, the activity,
    the pair debts and last the balance UPDATE (whose row count proves that no one whose
    balance moves has left)."""
    group = me.group
    rows = stored_rows(bill_id=bill.pk, paid_back=_paid_back_query(bill, group))
    sign = -1 if deleted else 1
    paid = {mid: sign * amount for mid, amount in _delta(rows.payers, []).items()}
    owed = {mid: sign * amount for mid, amount in _delta(rows.shares, []).items()}
    must = {mid for mid in set(paid) | set(owed) if paid.get(mid, 0) != owed.get(mid, 0)}
    before = bill.deleted_at
    bill.deleted_at = timezone.now() if deleted else None
    total = to_decimal_string(bill.total, group.currency)
    verb, done = ("bill.deleted", "deleted") if deleted else ("bill.restored", "restored")
    statements = [update_statement(bill, ["deleted_at", "updated_at"])]
    statements += insert_statements(
        [
            activity_row(
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
        ]
    )
    pairs = (
        pair_debts_statement(group_id=group.pk, debts=(), minus=rows.debts)
        if deleted
        else pair_debts_statement(group_id=group.pk, debts=rows.debts)
    )
    balances = balance_statement(group_id=group.pk, paid=paid, owed=owed, active=must)
    moved = _send(statements, pairs, balances)
    if balances is not None and moved != rows_named(paid=paid, owed=owed, active=must):
        states = {
            mid: m.is_active
            for mid, m in member_states(group_id=group.pk, ids=set(paid) | set(owed)).items()
        }
        _check_left_members(group=group, states=states, paid=paid, owed=owed)
        raise RuntimeError("the members' states changed under the group lock")  # pragma: no cover
    return SavedBill(bill, *rows.rows(bill), rows.paid_back)


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


def _send(statements: list[Statement], pairs: Statement | None, balances: Statement | None) -> int:
    """A write's statements in one round trip, the pair debts and last the balance UPDATE,
    whose row count this returns."""
    return run_together([*statements, *filter(None, (pairs, balances))])


def _delta(new: Iterable[Line], old: Iterable[Line]) -> dict[int, int]:
    delta: dict[int, int] = {}
    for line in new:
        delta[line.member_id] = delta.get(line.member_id, 0) + line.amount
    for line in old:
        delta[line.member_id] = delta.get(line.member_id, 0) - line.amount
    return delta


def _created_activity(
    *, me: Member, bill: Bill, record: BillRecord, target_id: int | None
) -> Activity:
    """The "bill.created" activity row of a new bill (both create paths write the same)."""
    group = bill.group
    after = _snapshot(bill, group, record.payers, record.shares)
    return activity_row(
        by=me,
        verb="bill.created",
        target_type="bill",
        target_id=target_id,
        summary=f'{me.name} added "{bill.title}" ({after["total"]} {group.currency})',
        changes=diff({}, after),
    )


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
