"""Test data for the payments tests: bills written straight to the tables.

`add_bill` writes what the bills service writes for a saved bill (payers, shares, per-pair debts
from the core, the running balances), so payments, balances and settle-up can be tested on their
own. The random-walk invariants test drives the real bills API instead.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping

from django.db import transaction

from paytungan.bills.models import Bill, BillDebt, BillPayer, BillShare
from paytungan.groups.balances import apply_balance_deltas
from paytungan.groups.models import Group, Member
from paytungan.payments.pair_debts import add_pair_debts
from paytungan.splitting import bill_debts

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
    bill = Bill.objects.create(
        group=group,
        title=title or f"Bill {n}",
        date=date or datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
        category=category,
        currency=group.currency,
        original_total=total,
        total=total,
        split_mode="exact",
        split={"mode": "exact"},
        tie_key=tie_key,
    )
    BillPayer.objects.bulk_create(
        BillPayer(bill=bill, member=m, amount=a, original_amount=a) for m, a in paid.items()
    )
    BillShare.objects.bulk_create(
        BillShare(bill=bill, member=m, amount=a, original_amount=a) for m, a in shares.items()
    )
    debts = bill_debts(
        {m.pk: a for m, a in paid.items()}, {m.pk: a for m, a in shares.items()}, tie_key
    )
    BillDebt.objects.bulk_create(
        BillDebt(bill=bill, debtor_id=d, creditor_id=c, amount=a) for d, c, a in debts
    )
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
