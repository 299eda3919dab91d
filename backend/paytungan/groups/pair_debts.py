"""The pairwise debts kept per (group, debtor, creditor): written in the transaction of every
bill and payment write, under its group lock (groups.locks), in one statement.

Reads check the rows against the members' running balances (for every member, what the rows
say they are owed minus what they owe is their balance, exactly) and fall back to the aggregate
when they disagree, e.g. for a group written by a release that did not keep them yet. The
aggregate itself reads bills and payments, so it and `rebuild_pair_debts` live above both, in
the read models (ledger/settle.py).

They live in the domain's base beside the running balances (groups/balances.py) because both
bills and payments write them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.db import connection

from paytungan.common.sql import Statement
from paytungan.groups.models import PairDebt

log = logging.getLogger("paytungan.pair_debts")

Debt = tuple[int, int, int]  # (debtor, creditor, amount)


def add_pair_debts(*, group_id: int, debts: Iterable[Debt], minus: Iterable[Debt] = ()) -> None:
    """Add `debts` and take away `minus` (a bill's old debts, a deleted payment), netted per
    pair first, in one INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and SQLite alike)."""
    statement = pair_debts_statement(group_id=group_id, debts=debts, minus=minus)
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)


def pair_debts_statement(
    *, group_id: int, debts: Iterable[Debt], minus: Iterable[Debt] = ()
) -> Statement | None:
    """The statement of `add_pair_debts`, to send along with a write's other rows
    (common.sql.run_together); None when nothing changes."""
    changes = _net(debts, minus)
    if not changes:
        return None
    table = PairDebt._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s)"] * len(changes))
    params: list[int] = []
    for (debtor, creditor), amount in changes:
        params += [group_id, debtor, creditor, amount]
    return (
        f"INSERT INTO {table} (group_id, debtor_id, creditor_id, amount) VALUES {values} "  # noqa: S608 - only placeholders
        f"ON CONFLICT (group_id, debtor_id, creditor_id) "
        f"DO UPDATE SET amount = {table}.amount + EXCLUDED.amount",
        params,
    )


def pair_debts_part(
    *, source: str, group_sql: str, debts: Iterable[Debt], minus: Iterable[Debt] = ()
) -> Statement:
    """The upsert of `pair_debts_statement` as a part of a larger statement (PostgreSQL):
    selected from `source`, whose `group_sql` is the group's id (e.g. the row the statement
    locked, so that no pair row is locked before it), the pairs as arrays (the same SQL text
    for any number of pairs, none included)."""
    changes = _net(debts, minus)
    table = PairDebt._meta.db_table
    sql = (
        f"INSERT INTO {table} (group_id, debtor_id, creditor_id, amount) "  # noqa: S608 - names from the model
        f"SELECT {group_sql}, p.* FROM {source}, unnest(CAST(%s AS bigint[]), "
        "CAST(%s AS bigint[]), CAST(%s AS bigint[])) AS p "
        f"ON CONFLICT (group_id, debtor_id, creditor_id) "
        f"DO UPDATE SET amount = {table}.amount + EXCLUDED.amount"
    )
    return sql, [
        [d for (d, _), _ in changes],
        [c for (_, c), _ in changes],
        [a for _, a in changes],
    ]


def _net(debts: Iterable[Debt], minus: Iterable[Debt]) -> list[tuple[tuple[int, int], int]]:
    """The changes per (debtor, creditor) pair, netted, in pair order, none zero: a pair once,
    as an upsert may not touch a row twice."""
    net: dict[tuple[int, int], int] = {}
    for sign, rows in ((1, debts), (-1, minus)):
        for debtor, creditor, amount in rows:
            net[(debtor, creditor)] = net.get((debtor, creditor), 0) + sign * amount
    return sorted((pair, amount) for pair, amount in net.items() if amount)


def payment_debt(*, from_member_id: int, to_member_id: int, amount: int) -> Debt:
    """A confirmed payment from A to B as a debt: B owes A (it nets A's debt to B)."""
    return (to_member_id, from_member_id, amount)


def kept_pair_debts(*, group_id: int, balances: Mapping[int, int]) -> list[Debt] | None:
    """The kept rows (one query), or None when they don't add up to `balances` (every
    member's running balance): then the caller uses the aggregate."""
    rows = list(
        PairDebt.objects.filter(group_id=group_id, amount__gt=0).values_list(
            "debtor_id", "creditor_id", "amount"
        )
    )
    net: dict[int, int] = {}
    for debtor, creditor, amount in rows:
        net[debtor] = net.get(debtor, 0) - amount
        net[creditor] = net.get(creditor, 0) + amount
    if any(net.get(member, 0) != balance for member, balance in balances.items()) or any(
        member not in balances for member in net
    ):
        log.warning("pair debts disagree with the balances", extra={"group_id": group_id})
        return None
    return [(int(d), int(c), int(a)) for d, c, a in rows]
