"""Settle-up: the transfers that settle a group, and the pairwise-debt aggregate.

The aggregate (`pairwise_debts`) reads bills' debts and confirmed payments together, so it lives
here, above both; the kept pair rows it must equal are written by bills and payments through
groups/pair_debts.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum

from paytungan.bills.models import BillDebt
from paytungan.groups.locks import lock_group
from paytungan.groups.models import Group, Member, PairDebt
from paytungan.groups.pair_debts import add_pair_debts, kept_pair_debts
from paytungan.money import to_decimal_string
from paytungan.payments.models import Payment, PaymentStatus
from paytungan.settling import Transfer, pairwise, settle

# A settle result is a pure function of the balances, so it is cached by their hash and shared
# by every instance using the same cache. Bump the version when `settle` changes its answers.
SETTLE_CACHE_VERSION = 1
SETTLE_CACHE_SECONDS = 24 * 60 * 60


def pairwise_debts(
    *, group_id: int, member_ids: Iterable[int] | None = None
) -> list[tuple[int, int, int]]:
    """The aggregate the kept pair rows (groups.pair_debts) must equal, and their fallback:
    (debtor, creditor, amount) per pair, from ONE query over every bill: the debts of live bills
    summed per pair, UNION ALL the confirmed payments summed per pair as reverse debts (a
    payment from A to B counts as B owing A, which `pairwise` nets against A's debt to B).
    `member_ids` restricts it to debts among those members."""
    debts = BillDebt.objects.filter(bill__group_id=group_id, bill__deleted_at__isnull=True)
    payments = Payment.objects.filter(group_id=group_id, status=PaymentStatus.CONFIRMED)
    if member_ids is not None:
        ids = list(member_ids)
        debts = debts.filter(debtor_id__in=ids, creditor_id__in=ids)
        payments = payments.filter(from_member_id__in=ids, to_member_id__in=ids)
    debt_rows = (
        debts.order_by()
        .values("debtor_id", "creditor_id")
        .annotate(total=Sum("amount"))
        .values_list("debtor_id", "creditor_id", "total")
    )
    payment_rows = (
        payments.order_by()
        .values("to_member_id", "from_member_id")
        .annotate(total=Sum("amount"))
        .values_list("to_member_id", "from_member_id", "total")
    )
    return [(int(a), int(b), int(t)) for a, b, t in debt_rows.union(payment_rows, all=True)]


def _cached_settle(balances: dict[int, int]) -> list[Transfer]:
    non_zero = sorted((m, b) for m, b in balances.items() if b)
    digest = hashlib.sha256(repr(non_zero).encode()).hexdigest()
    key = f"settle:v{SETTLE_CACHE_VERSION}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return [Transfer(*t) for t in cached]
    transfers = settle(dict(non_zero))
    cache.set(key, [(t.from_id, t.to_id, t.amount) for t in transfers], SETTLE_CACHE_SECONDS)
    return transfers


def _payout(member: Member | None) -> dict[str, str] | None:
    """The receiver's payout details, only if they chose to share them with their groups."""
    user = member.user if member is not None else None
    if user is None or not user.payout_share_with_groups:
        return None
    return {
        "method": user.payout_method,
        "account_name": user.payout_account_name,
        "account_number": user.payout_account_number,
    }


def settle_transfers(*, group: Group, balances: dict[int, int]) -> list[Transfer]:
    """The transfers that settle the group, from its members' balances: the fewest when
    `simplify_debts` (cached by the balances' hash), else pairwise debts (the kept pair rows)."""
    if group.simplify_debts:
        return _cached_settle(balances)
    kept = kept_pair_debts(group_id=group.pk, balances=balances)
    return pairwise(kept if kept is not None else pairwise_debts(group_id=group.pk))


def group_settle(*, group: Group) -> dict[str, Any]:
    """The transfers that settle the group: the fewest when `simplify_debts` (from the running
    balances, one query, cached by their hash), else pairwise debts (one more query, of the kept
    pair rows: flat in the number of bills). Each carries the receiver's payout details when
    shared."""
    members = {
        m.pk: m
        for m in Member.objects.filter(group_id=group.pk).select_related("user").order_by("pk")
    }
    transfers = settle_transfers(group=group, balances={pk: m.balance for pk, m in members.items()})
    currency = group.currency
    return {
        "items": [
            {
                "from_member_id": t.from_id,
                "to_member_id": t.to_id,
                "amount": to_decimal_string(t.amount, currency),
                "currency": currency,
                "payout": _payout(members.get(t.to_id)),
            }
            for t in transfers
        ]
    }


def rebuild_pair_debts(*, group_id: int) -> None:
    """Replace a group's kept rows with the aggregate: for bulk-seeded groups, or to repair a
    group whose rows disagree with its balances (then reads fall back until it is rebuilt).
    Takes the group lock, like every write of the rows."""
    with transaction.atomic():
        lock_group(group_id=group_id)
        PairDebt.objects.filter(group_id=group_id).delete()
        add_pair_debts(group_id=group_id, debts=pairwise_debts(group_id=group_id))
