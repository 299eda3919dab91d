"""Payment and balance reads, and what a payment would overpay.

Every read is a fixed number of queries whatever the number of bills, payments or members
(asserted in tests). Balances come from the members' running totals (the tests compare them
with `payments.testing.balance_oracle`); the settle-up reads bills too, so it is a read model
(ledger/settle.py).
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import CharField, IntegerField, OuterRef, QuerySet, Subquery, Sum

from paytungan.accounts.models import User
from paytungan.bills.models import Bill
from paytungan.common import sql_reads
from paytungan.common.pagination import paginate
from paytungan.groups.models import Group, Member, PairDebt
from paytungan.money import decimal_formatter, to_decimal_string
from paytungan.payments.models import Payment, PaymentStatus
from paytungan.settling import pairwise

Direction = Literal["incoming", "outgoing"]

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


# --- a bill's payment status (bills.statuses) ---------------------------------------------------


def bill_paid_back(*, bill: Bill, currency: str) -> dict[int, int]:
    """Confirmed payments tied to the bill, per paying member (one query)."""
    rows = (
        Payment.objects.filter(bill=bill, status=PaymentStatus.CONFIRMED, currency=currency)
        .values("from_member_id")
        .annotate(total=Sum("amount"))
        .values_list("from_member_id", "total")
    )
    return {member_id: int(total) for member_id, total in rows}


def bill_paid_back_sql(*, bill_id: int, currency: str) -> tuple[str, list[object]]:
    """`bill_paid_back` as SQL selecting (member id, amount) rows, for a bill write to fold
    into its read of the bill's rows: written under the group lock, which every payment write
    takes first, so it reads what the response would read after the commit."""
    sql = (
        'SELECT "from_member_id", SUM("amount") FROM '  # noqa: S608 (the table name is the model's)
        + sql_reads.table(Payment)
        + ' WHERE "bill_id" = %s AND "status" = %s AND "currency" = %s GROUP BY "from_member_id"'
    )
    return sql, [bill_id, PaymentStatus.CONFIRMED.value, currency]


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
    rows = sql_reads.fetch_prepared(_BALANCES_SQL, [group.pk])
    amount = decimal_formatter(currency)
    return {
        "currency": currency,
        "items": [
            {
                "member_id": pk,
                "name": name,
                "paid": amount(paid),
                "owed": amount(owed),
                "balance": amount(paid - owed),
            }
            for pk, name, paid, owed in rows
        ],
    }


# --- settle-up ---------------------------------------------------------------------------------


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
