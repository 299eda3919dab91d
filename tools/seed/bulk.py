"""Seeded, repeatable bulk data for benchmarks and load tests: one group of N members with M
bills of realistic sizes (2-8 people, 10,000-2,000,000 IDR, every split mode), computed by the
real core and bulk-inserted through the bills' one writer (bills.store); member totals are then
set from the SQL aggregate (the oracle)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from paytungan.accounts.models import User
from paytungan.bills.models import Bill, BillPayer, BillShare
from paytungan.bills.store import BillRecord, Line, write_bills
from paytungan.common.sql import reserve_ids
from paytungan.groups.models import Group, Member
from paytungan.ledger.settle import rebuild_pair_debts
from paytungan.splitting import (
    BillInput,
    ChargesInput,
    ItemInput,
    MemberValueInput,
    PayerInput,
    compute_bill,
    itemized_total,
)

CHUNK = 2000
_TITLES = [
    "Makan malam", "Sate Padang", "Grab ke bandara", "Belanja Superindo", "Listrik",
    "Karaoke", "Villa Ubud", "Kopi Kenangan", "Nasi Padang", "Bensin", "Tiket film",
]  # fmt: skip
_CATEGORIES = ["food", "transport", "groceries", "utilities", "entertainment", "lodging", "other"]


@dataclass(frozen=True)
class SeededGroup:
    group_id: int
    owner_id: int
    member_ids: list[int]


def _itemized(rng: random.Random, people: list[int], day: date, title: str) -> BillInput:
    items = tuple(
        ItemInput(
            f"Item {i + 1}",
            rng.randint(1, 3),
            str(rng.randint(5, 150) * 1000),
            tuple(sorted(rng.sample(people, rng.randint(1, len(people))))),
        )
        for i in range(rng.randint(2, 8))
    )
    bill = BillInput(
        "IDR",
        "itemized",
        (),
        items=items,
        charges=ChargesInput(service_percent="5", tax_percent="10"),
        title=title,
        date=day.isoformat(),
    )
    # One payer pays the whole receipt: what the core computes it comes to (IDR: no decimals).
    return replace(bill, payers=(PayerInput(people[0], str(itemized_total(bill))),))


def bill_input(rng: random.Random, members: list[int], day: date) -> BillInput:
    people = rng.sample(members, rng.randint(2, min(8, len(members))))
    title = rng.choice(_TITLES)
    mode = rng.choice(["equal", "equal", "exact", "percent", "shares", "itemized"])
    if mode == "itemized":
        return _itemized(rng, people, day, title)
    thousands = rng.randint(10, 2000)
    values: list[str | None]
    if mode == "exact":
        cuts = sorted(rng.sample(range(1, thousands), len(people) - 1))
        edges = [0, *cuts, thousands]
        values = [str((b - a) * 1000) for a, b in pairwise(edges)]
    elif mode == "percent":
        base = [100 // len(people)] * len(people)
        base[0] += 100 - sum(base)
        values = [str(v) for v in base]
    elif mode == "shares":
        values = [str(rng.randint(1, 3)) for _ in people]
    else:
        values = [None] * len(people)
    total = str(thousands * 1000)
    return BillInput(
        "IDR",
        mode,
        (PayerInput(people[0], total),),
        members=tuple(MemberValueInput(m, v) for m, v in zip(people, values, strict=True)),
        total=total,
        title=title,
        date=day.isoformat(),
    )


def _split_spec(bill: BillInput) -> dict[str, object]:
    return {
        "mode": bill.mode,
        "members": [{"member_id": m.member_id, "value": m.value} for m in bill.members],
        "items": [
            {"name": i.name, "quantity": i.quantity, "unit_price": i.unit_price,
             "member_ids": list(i.member_ids)}
            for i in bill.items
        ],
        "charges": vars(bill.charges),
    }  # fmt: skip


def seed_group(
    *,
    owner: User,
    members: int = 50,
    bills: int = 100_000,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SeededGroup:
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    with transaction.atomic():
        group = Group.objects.create(name=f"Bench {seed}", currency="IDR", created_by=owner)
        owner_member = Member.objects.create(group=group, user=owner, name=owner.name)
        guests = Member.objects.bulk_create(
            Member(group=group, name=f"Guest {i}") for i in range(1, members)
        )
    member_ids = [owner_member.pk, *(g.pk for g in guests)]
    start = date(2024, 1, 1)
    done = 0
    while done < bills:
        size = min(CHUNK, bills - done)
        inputs = [
            bill_input(rng, member_ids, start + timedelta(days=(done + i) * 900 // bills))
            for i in range(size)
        ]
        results = [compute_bill(b) for b in inputs]
        records = [
            BillRecord(
                title=b.title,
                date=date.fromisoformat(b.date),
                category=rng.choice(_CATEGORIES),
                notes="",
                currency="IDR",
                exchange_rate=None,
                original_total=r.total,
                total=r.total,
                split=_split_spec(b),
                tie_key=r.tie_key,
                payers=[Line(m, a, a) for m, a in r.paid.items()],
                shares=[
                    Line(m, a, a, vars(r.breakdown[m]) if r.breakdown else None)
                    for m, a in r.shares.items()
                ],
            )
            for b, r in zip(inputs, results, strict=True)
        ]
        with transaction.atomic():
            write_bills(
                group_id=group.pk,
                records=records,
                created_by_id=owner.pk,
                ids=reserve_ids(Bill, len(records)),
            )
        done += size
        if progress:
            progress(done)
    _totals_from_aggregate(group.pk)
    rebuild_pair_debts(group_id=group.pk)  # the pairwise settle's kept rows, from the aggregate
    return SeededGroup(group_id=group.pk, owner_id=owner.pk, member_ids=member_ids)


def _totals_from_aggregate(group_id: int) -> None:
    def total(model: type[BillPayer] | type[BillShare]) -> Subquery:
        return Subquery(
            model.objects.filter(member=OuterRef("pk"), bill__deleted_at__isnull=True)
            .values("member")
            .annotate(s=Sum("amount"))
            .values("s")
        )

    Member.objects.filter(group_id=group_id).update(
        paid=Coalesce(total(BillPayer), 0), owed=Coalesce(total(BillShare), 0)
    )
