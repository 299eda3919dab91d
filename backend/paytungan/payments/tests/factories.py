"""Test data for the payments tests: bills written without the bills API.

`add_bill` writes a bill through the bills service's own writer (bills.store: payers, shares,
per-pair debts from the core) and moves the running balances and pair debts, so payments,
balances and settle-up can be tested on their own. The random-walk invariants test drives the
real bills API instead.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping

from django.db import transaction

from paytungan.bills.models import Bill
from paytungan.bills.store import BillRecord, Line, write_bills
from paytungan.groups.balances import apply_balance_deltas
from paytungan.groups.models import Group, Member
from paytungan.groups.pair_debts import add_pair_debts

_seq = itertools.count(1)


@transaction.atomic
def add_bill(
    group: Group,
    *,
    paid: Mapping[Member, int],
    shares: Mapping[Member, int],
    title: str | None = None,
    date: datetime.date | None = None,
    category: str = "food",
) -> Bill:
    """A live bill in the group currency; amounts in minor units; `paid` and `shares` must sum
    to the same total."""
    total = sum(shares.values())
    assert sum(paid.values()) == total, "payers and shares must sum to the same total"
    n = next(_seq)
    tie_key = f"test-bill-{n}"
    payers = [Line(m.pk, a, a) for m, a in paid.items()]
    owed = [Line(m.pk, a, a) for m, a in shares.items()]
    record = BillRecord(
        title=title or f"Bill {n}",
        date=date or datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        category=category,
        notes="",
        currency=group.currency,
        exchange_rate=None,
        original_total=total,
        total=total,
        split={"mode": "exact"},
        tie_key=tie_key,
        payers=payers,
        shares=owed,
    )
    (written,) = write_bills(group_id=group.pk, records=[record])
    bill = written.bill
    debts = record.bill_debts()
    apply_balance_deltas(
        group_id=group.pk,
        paid={m.pk: a for m, a in paid.items()},
        owed={m.pk: a for m, a in shares.items()},
    )
    add_pair_debts(group_id=group.pk, debts=debts)
    return bill


def balances_of(group: Group) -> dict[int, int]:
    """The running balances of every member (active or not), by member id."""
    return {
        pk: paid - owed
        for pk, paid, owed in Member.objects.filter(group=group).values_list("pk", "paid", "owed")
    }
