"""The one writer of a computed bill's rows: the bill, its payers, its shares and its debts.

The bills service, the demo and bench seeds (tools/seed/) and the payments tests' factory all
write bills through `write_bills`, so a bill's rows are written one way. It writes rows only;
the running balances (groups.balances), the pair debts (groups.pair_debts) and the activity
are the caller's: a service moves them in the same transaction (sending its statements with
these: `bill_statements`, common.sql), a bulk seed sets them from the aggregate afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from paytungan.bills.models import Bill, BillDebt, BillPayer, BillShare
from paytungan.common.sql import (
    Statement,
    db_value,
    insert_select,
    insert_statements,
    run_together,
)
from paytungan.splitting import bill_debts

Debt = tuple[int, int, int]  # (debtor, creditor, amount) in the group currency


@dataclass(frozen=True)
class Line:
    """One payer or share row: group-currency amount, bill-currency original, and (itemized
    shares) the breakdown in minor units of the bill currency."""

    member_id: int
    amount: int
    original_amount: int
    breakdown: dict[str, int] | None = None


@dataclass(frozen=True)
class BillRecord:
    """A computed bill, as its rows will hold it. `total` and the lines' `amount` are in the
    group's currency, `original_total` and `original_amount` in the bill's `currency`."""

    title: str
    date: dt.date
    category: str
    notes: str
    currency: str
    exchange_rate: Decimal | None
    original_total: int
    total: int
    split: dict[str, Any]
    tie_key: str
    payers: Sequence[Line]
    shares: Sequence[Line]
    debts: Sequence[Debt] | None = None  # None: from the lines (splitting.bill_debts)

    def bill_debts(self) -> list[Debt]:
        if self.debts is not None:
            return list(self.debts)
        return bill_debts(_sums(self.payers), _sums(self.shares), self.tie_key)


@dataclass
class WrittenBill:
    bill: Bill
    payers: list[BillPayer]
    shares: list[BillShare]

    def set_id(self, *, bill_id: int, group_id: int) -> None:
        """The id the database gave the bill (bill_parts), on the bill and its rows."""
        self.bill.pk = bill_id
        self.bill.group_id = group_id
        for payer in self.payers:
            payer.bill_id = bill_id
        for share in self.shares:
            share.bill_id = bill_id


def assign(bill: Bill, record: BillRecord) -> None:
    """Set the bill's computed fields from the record (create and edit alike)."""
    bill.title = record.title
    bill.date = record.date
    bill.category = record.category
    bill.notes = record.notes
    bill.currency = record.currency
    bill.exchange_rate = record.exchange_rate
    bill.original_total = record.original_total
    bill.total = record.total
    bill.split_mode = record.split["mode"]
    bill.split = record.split
    bill.tie_key = record.tie_key


def write_bills(
    *,
    group_id: int,
    records: Sequence[BillRecord],
    created_by_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[WrittenBill]:
    """Insert new bills with their rows: in one round trip on PostgreSQL given `ids` (reserved:
    common.sql.reserve_ids), else the bills first and their rows after."""
    written, statements = bill_statements(
        group_id=group_id, records=records, created_by_id=created_by_id, ids=ids
    )
    run_together(statements)
    return written


def bill_statements(
    *,
    group_id: int,
    records: Sequence[BillRecord],
    created_by_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> tuple[list[WrittenBill], list[Statement]]:
    """The new bills and the statements inserting them and their rows, for a write that sends
    its own statements with them (common.sql.run_together). Without `ids` (no sequence to
    reserve from: SQLite) the bills are inserted here, so that their rows can point at them."""
    bills = [Bill(group_id=group_id, created_by_id=created_by_id) for _ in records]
    for bill, record in zip(bills, records, strict=True):
        assign(bill, record)
    statements: list[Statement] = []
    if ids is None:
        Bill.objects.bulk_create(bills)
    else:
        for bill, pk in zip(bills, ids, strict=True):
            bill.pk = pk
        statements += insert_statements(bills)
    written = [
        WrittenBill(bill, *_rows(bill, record)) for bill, record in zip(bills, records, strict=True)
    ]
    statements += insert_statements([p for w in written for p in w.payers])
    statements += insert_statements([s for w in written for s in w.shares])
    statements += insert_statements(
        [
            BillDebt(bill=bill, debtor_id=debtor, creditor_id=creditor, amount=amount)
            for bill, record in zip(bills, records, strict=True)
            for debtor, creditor, amount in record.bill_debts()
        ]
    )
    return written, statements


def bill_parts(
    *, record: BillRecord, created_by_id: int | None, source: str, group_sql: str, name: str
) -> tuple[WrittenBill, list[tuple[str, Statement]]]:
    """A new bill and its rows as named parts of one statement (PostgreSQL, common.sql.
    with_parts): the bill, selected from `source` (whose `group_sql` is the group's id), as
    part `name`, returning its `id` and `group_id`; its payers, shares and debts selected from
    that part. The same SQL text for any bill (the rows go as arrays). The bill's id is the
    statement's: set it on the objects (`WrittenBill.set_id`) once it has run."""
    bill = Bill(created_by_id=created_by_id)
    assign(bill, record)
    payers, shares = _rows(bill, record)
    debts = [
        BillDebt(bill=bill, debtor_id=debtor, creditor_id=creditor, amount=amount)
        for debtor, creditor, amount in record.bill_debts()
    ]
    sql, params = insert_select(
        Bill, [bill], source=source, fixed={"group_id": group_sql}, many=False
    )
    parts = [(name, (f'{sql} RETURNING "id", "group_id"', params))]
    child = {"bill_id": f'{name}."id"'}
    for tag, model, objs in (
        ("payers", BillPayer, payers),
        ("shares", BillShare, shares),
        ("debts", BillDebt, debts),
    ):
        parts.append(
            (f"{name}_{tag}", insert_select(model, objs, source=name, fixed=child, many=True))
        )
    return WrittenBill(bill, payers, shares), parts


def new_rows(*, bill: Bill, record: BillRecord) -> tuple[WrittenBill, list[Statement]]:
    """A saved bill's new rows (an edit) and the statements inserting them, for the caller to
    send after the statement that deletes the old ones (one statement can't do both on the
    rows' unique keys) and with its own (common.sql.run_together)."""
    payers, shares = _rows(bill, record)
    debts = [
        BillDebt(bill=bill, debtor_id=debtor, creditor_id=creditor, amount=amount)
        for debtor, creditor, amount in record.bill_debts()
    ]
    statements = [
        *insert_statements(payers),
        *insert_statements(shares),
        *insert_statements(debts),
    ]
    return WrittenBill(bill, payers, shares), statements


@dataclass
class StoredRows:
    """A saved bill's rows as lines (payers, shares) and (debtor, creditor, amount) debts, and
    what was paid back per member when the read was asked for it (`stored_rows`)."""

    payers: list[Line]
    shares: list[Line]
    debts: list[Debt]
    paid_back: dict[int, int] | None = None

    def rows(self, bill: Bill) -> tuple[list[BillPayer], list[BillShare]]:
        """The payer and share rows as objects (not saved again), e.g. for the response."""
        return _line_rows(bill, self.payers, self.shares)


def stored_rows(
    *, bill_id: int, take: bool = False, paid_back: Statement | None = None
) -> StoredRows:
    """A saved bill's payer, share and debt rows, in one query on PostgreSQL; with `take` the
    same statement deletes them (an edit replacing them: its new rows go in a later statement,
    as one statement can't both delete and re-insert the rows' unique keys). `paid_back`: a
    query of (member id, amount) rows (bills.statuses.paid_back_query) to run in the same
    statement, its rows in `StoredRows.paid_back` (not elsewhere: there it stays None)."""
    if connection.vendor != "postgresql":
        return _stored_rows_orm(bill_id=bill_id, take=take)
    qn = connection.ops.quote_name
    payer, share, debt = (qn(m._meta.db_table) for m in (BillPayer, BillShare, BillDebt))
    where = f"WHERE {qn('bill_id')} = %s"
    if take:
        head = (
            f"WITH p AS (DELETE FROM {payer} {where} RETURNING *), "  # noqa: S608 - names from the models
            f"s AS (DELETE FROM {share} {where} RETURNING *), "
            f"d AS (DELETE FROM {debt} {where} RETURNING *) "
        )
        sources, params = ("p", "s", "d"), [bill_id] * 3
    else:
        head = ""
        sources = (f"{payer} {where}", f"{share} {where}", f"{debt} {where}")
        params = [bill_id] * 3
    sql = (
        f"{head}"  # noqa: S608 - names from the models
        f"SELECT 1, member_id, amount, original_amount, NULL::jsonb FROM {sources[0]} "
        f"UNION ALL SELECT 2, member_id, amount, original_amount, breakdown FROM {sources[1]} "
        f"UNION ALL SELECT 3, debtor_id, creditor_id, amount, NULL FROM {sources[2]} "
    )
    if paid_back is not None:
        # SUM() is numeric: cast, so that the union's columns stay bigint. The query is the
        # provider's (names from its model, values parameters).
        sql += (
            "UNION ALL SELECT 4, pb.m, CAST(pb.a AS bigint), 0, NULL "  # noqa: S608
            f"FROM ({paid_back[0]}) pb(m, a) "
        )
        params += list(paid_back[1])
    sql += "ORDER BY 1, 2, 3"
    rows = StoredRows([], [], [], None if paid_back is None else {})
    breakdown = BillShare._meta.get_field("breakdown")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, a, b, c, raw in cursor.fetchall():
            if kind == 1:
                rows.payers.append(Line(a, b, c))
            elif kind == 2:
                rows.shares.append(Line(a, b, c, db_value(breakdown, raw)))
            elif kind == 3:
                rows.debts.append((a, b, c))
            else:
                assert rows.paid_back is not None
                rows.paid_back[a] = b
    return rows


def _stored_rows_orm(*, bill_id: int, take: bool) -> StoredRows:
    payers = BillPayer.objects.filter(bill_id=bill_id).order_by("member_id")
    shares = BillShare.objects.filter(bill_id=bill_id).order_by("member_id")
    debts = BillDebt.objects.filter(bill_id=bill_id).order_by("debtor_id", "creditor_id")
    rows = StoredRows(
        [Line(p.member_id, p.amount, p.original_amount) for p in payers],
        [Line(s.member_id, s.amount, s.original_amount, s.breakdown) for s in shares],
        [(d.debtor_id, d.creditor_id, d.amount) for d in debts],
    )
    if take:
        for qs in (payers, shares, debts):
            qs.delete()
    return rows


def _rows(bill: Bill, record: BillRecord) -> tuple[list[BillPayer], list[BillShare]]:
    return _line_rows(bill, record.payers, record.shares)


def _line_rows(
    bill: Bill, payer_lines: Sequence[Line], share_lines: Sequence[Line]
) -> tuple[list[BillPayer], list[BillShare]]:
    payers = [
        BillPayer(
            bill=bill,
            member_id=line.member_id,
            amount=line.amount,
            original_amount=line.original_amount,
        )
        for line in payer_lines
    ]
    shares = [
        BillShare(
            bill=bill,
            member_id=line.member_id,
            amount=line.amount,
            original_amount=line.original_amount,
            breakdown=line.breakdown,
        )
        for line in share_lines
    ]
    return payers, shares


def _sums(lines: Sequence[Line]) -> dict[int, int]:
    out: dict[int, int] = {}
    for line in lines:
        out[line.member_id] = out.get(line.member_id, 0) + line.amount
    return out
