"""Payment, balance and settle-up reads.

Every read is a fixed number of queries whatever the number of bills, payments or members
(asserted in tests). Balances come from the members' running totals; `balance_oracle` recomputes
them from the bills and payments themselves and is what the tests compare them with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, IntegerField, OuterRef, QuerySet, Subquery, Sum

from paytungan.accounts.models import User
from paytungan.bills.models import BillDebt, BillPayer, BillShare
from paytungan.common import sql_reads
from paytungan.common.pagination import paginate
from paytungan.groups.models import Group, Member
from paytungan.money import to_decimal_string
from paytungan.payments.models import PairDebt, Payment, PaymentStatus
from paytungan.payments.pair_debts import kept_pair_debts
from paytungan.settling import Transfer, pairwise, settle

Direction = Literal["incoming", "outgoing"]

# A settle result is a pure function of the balances, so it is cached by their hash and shared
# by every instance using the same cache. Bump the version when `settle` changes its answers.
SETTLE_CACHE_VERSION = 1
SETTLE_CACHE_SECONDS = 24 * 60 * 60

# --- payments ----------------------------------------------------------------------------------


def _recorded_by_member_id() -> Subquery:
    """The recorder's member row in the payment's group (a user has at most one per group)."""
    return Subquery(
        Member.objects.filter(group_id=OuterRef("group_id"), user_id=OuterRef("recorded_by_id"))
        .order_by()
        .values("pk")[:1],
        output_field=IntegerField(),
    )


def _recorded_by_member_name() -> Subquery:
    return Subquery(
        Member.objects.filter(group_id=OuterRef("group_id"), user_id=OuterRef("recorded_by_id"))
        .order_by()
        .values("name")[:1],
        output_field=CharField(),
    )


def payments_with_recorder() -> QuerySet[Payment]:
    return Payment.objects.annotate(recorded_by_member=_recorded_by_member_id())


def payment_payload(
    payment: Payment, *, recorded_by_member_id: int | None = None
) -> dict[str, Any]:
    if recorded_by_member_id is None:
        recorded_by_member_id = getattr(payment, "recorded_by_member", None)
    return {
        "id": payment.pk,
        "from_member_id": payment.from_member_id,
        "to_member_id": payment.to_member_id,
        "amount": to_decimal_string(payment.amount, payment.currency),
        "currency": payment.currency,
        "bill_id": payment.bill_id,
        "note": payment.note,
        "status": payment.status,
        "is_overpayment": payment.is_overpayment,
        "recorded_by_member_id": recorded_by_member_id,
        "created_at": payment.created_at,
        "decided_at": payment.decided_at,
    }


def payment_detail(*, group_id: int, payment_id: int) -> dict[str, Any]:
    payment = payments_with_recorder().get(group_id=group_id, pk=payment_id)
    return payment_payload(payment)


def payment_list(
    *, group_id: int, status: str | None, limit: int | None, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A group's payments, newest first (one query per page)."""
    qs = payments_with_recorder().filter(group_id=group_id)
    if status is not None:
        qs = qs.filter(status=status)
    rows, next_cursor = paginate(qs, fields=["created_at", "id"], limit=limit, cursor=cursor)
    return [payment_payload(p) for p in rows], next_cursor


def my_payment_list(
    *, user: User, direction: Direction, status: str, limit: int | None, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Payments to (incoming) or from (outgoing) the caller in every group they are an active
    member of, newest first, with the group, both names and the recorder's (one query per
    page): "Citra recorded that Budi paid you" reads differently from "Budi says he paid"."""
    side = "to_member" if direction == "incoming" else "from_member"
    qs = (
        payments_with_recorder()
        .filter(**{f"{side}__user": user, f"{side}__is_active": True}, status=status)
        .select_related("group", "from_member", "to_member")
        .annotate(recorded_by_member_name=_recorded_by_member_name())
    )
    rows, next_cursor = paginate(qs, fields=["created_at", "id"], limit=limit, cursor=cursor)
    items = [
        {
            **payment_payload(p),
            "group_id": p.group_id,
            "group_name": p.group.name,
            "from_member_name": p.from_member.name,
            "to_member_name": p.to_member.name,
            "recorded_by_member_name": getattr(p, "recorded_by_member_name", None),
        }
        for p in rows
    ]
    return items, next_cursor


# --- balances ----------------------------------------------------------------------------------


# A plain read of four columns: written out, as compiling the queryset cost more than running it.
_BALANCES_SQL = (
    'SELECT "id", "name", "paid", "owed" FROM '  # noqa: S608 (the table name is the model's)
    + sql_reads.table(Member)
    + ' WHERE "group_id" = %s AND "is_active" ORDER BY "id"'
)


def group_balances(*, group: Group) -> dict[str, Any]:
    """Every active member's running totals (one query). Members who left are not listed: they
    could only leave with a zero balance (a database constraint), so the items still sum to
    exactly zero."""
    currency = group.currency
    with connection.cursor() as c:
        c.execute(_BALANCES_SQL, [group.pk])
        rows = c.fetchall()
    return {
        "currency": currency,
        "items": [
            {
                "member_id": pk,
                "name": name,
                "paid": to_decimal_string(paid, currency),
                "owed": to_decimal_string(owed, currency),
                "balance": to_decimal_string(paid - owed, currency),
            }
            for pk, name, paid, owed in rows
        ],
    }


def balance_oracle(*, group_id: int) -> dict[int, int]:
    """Every member's balance recomputed from scratch: payer amounts and shares of live bills and
    confirmed payments, one SQL aggregate per table. The running totals must always equal it;
    tests (and an operator, in a shell) compare the two."""
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


# --- settle-up ---------------------------------------------------------------------------------


def pairwise_debts(
    *, group_id: int, member_ids: Iterable[int] | None = None
) -> list[tuple[int, int, int]]:
    """The aggregate the kept pair rows (payments.pair_debts) must equal, and their fallback:
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


def owed_between(*, group: Group, debtor: Member, creditor: Member) -> int:
    """What `debtor` owes `creditor` now, in the view the group uses for settling up; a payment
    above it is flagged `is_overpayment` (allowed: people round up).

    - simplify_debts: debts are owed to the group, not to a person, so what A can pay B without
      overshooting is the smaller of A's debt and B's credit; paying more leaves A owed money or
      B owing it.
    - pairwise: the net of the two members' bill debts and confirmed payments to each other.
    """
    if group.simplify_debts:
        return max(0, min(-debtor.balance, creditor.balance))
    pair = (debtor.pk, creditor.pk)
    debts = (
        PairDebt.objects.filter(group_id=group.pk, debtor_id__in=pair, creditor_id__in=pair)
        .exclude(amount=0)
        .values_list("debtor_id", "creditor_id", "amount")
    )
    for transfer in pairwise(debts):
        if transfer.from_id == debtor.pk:
            return transfer.amount
    return 0


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


def pairwise_settle_kept(*, group_id: int) -> list[Transfer]:
    """The pairwise transfers from the kept rows alone, no fallback: what tests compare with
    `pairwise(pairwise_debts(...))`."""
    rows = PairDebt.objects.filter(group_id=group_id).exclude(amount=0)
    return pairwise(rows.values_list("debtor_id", "creditor_id", "amount"))
