"""Test helpers for payments, shared with other apps' tests: the balance oracles.

They recompute from the rows what the services keep as running totals and kept pair rows, so
tests (and an operator, in a shell) can compare the two; no production code reads them.
"""

from __future__ import annotations

from django.db.models import Sum

from paytungan.bills.models import BillPayer, BillShare
from paytungan.groups.models import Member, PairDebt
from paytungan.payments.models import Payment, PaymentStatus
from paytungan.settling import Transfer, pairwise


def balance_oracle(*, group_id: int) -> dict[int, int]:
    """Every member's balance recomputed from scratch: payer amounts and shares of live bills and
    confirmed payments, one SQL aggregate per table. The running totals must always equal it;
    tests compare the two."""
    balances = dict.fromkeys(
        Member.objects.filter(group_id=group_id).values_list("pk", flat=True), 0
    )
    live = {"bill__group_id": group_id, "bill__deleted_at__isnull": True}
    for member_id, total in (
        BillPayer.objects.filter(**live).values("member_id").annotate(t=Sum("amount"))
    ).values_list("member_id", "t"):
        balances[member_id] += total
    for member_id, total in (
        BillShare.objects.filter(**live).values("member_id").annotate(t=Sum("amount"))
    ).values_list("member_id", "t"):
        balances[member_id] -= total
    confirmed = Payment.objects.filter(group_id=group_id, status=PaymentStatus.CONFIRMED)
    for member_id, total in (
        confirmed.values("from_member_id").annotate(t=Sum("amount"))
    ).values_list("from_member_id", "t"):
        balances[member_id] += total
    for member_id, total in (
        confirmed.values("to_member_id").annotate(t=Sum("amount"))
    ).values_list("to_member_id", "t"):
        balances[member_id] -= total
    return balances


def pairwise_settle_kept(*, group_id: int) -> list[Transfer]:
    """The pairwise transfers from the kept rows alone, no fallback: what tests compare with
    `pairwise(ledger.settle.pairwise_debts(...))`."""
    rows = PairDebt.objects.filter(group_id=group_id).exclude(amount=0)
    return pairwise(rows.values_list("debtor_id", "creditor_id", "amount"))
