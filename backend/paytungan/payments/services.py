"""Payment writes: record, confirm, reject, delete.

Each is one transaction that also writes the activity entry and, when a confirmed payment appears
or disappears, moves the running balances: the payer has paid `amount` more, the receiver is owed
`amount` more (paid = bill payer amounts + confirmed payments sent; owed = bill shares +
confirmed payments received; balance = paid - owed).

Locks follow groups.locks: the group row first (the currency comes from it), then the payment,
then the members through the one balance UPDATE; so concurrent confirms, deletes and bill writes
queue instead of deadlocking, and a payment is counted exactly once.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.bills.models import Bill
from paytungan.common.errors import Conflict, Invalid, NotFound, PermissionDenied
from paytungan.groups.activity import activity_record, diff
from paytungan.groups.balances import apply_balance_deltas
from paytungan.groups.locks import lock_group, member_states, write_transaction
from paytungan.groups.models import Group, Member
from paytungan.groups.pair_debts import add_pair_debts, payment_debt
from paytungan.money import MoneyError, parse_amount, to_decimal_string
from paytungan.payments.models import Payment, PaymentStatus
from paytungan.payments.selectors import owed_between


def lock_payment(*, group: Group, payment_id: int) -> Payment:
    """The payment, locked after its group (groups.locks order)."""
    payment = (
        Payment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("to_member")
        .filter(group=group, pk=payment_id)
        .first()
    )
    if payment is None:
        raise NotFound(_("No such payment in this group."), code="payment_not_found")
    payment.group = group
    return payment


def _lock(*, me: Member, payment_id: int) -> Payment:
    """The group, then the payment (groups.locks order); the actor sees the locked group."""
    me.group = lock_group(group_id=me.group_id)
    return lock_payment(group=me.group, payment_id=payment_id)


def _acts_for_receiver(*, me: Member, payment: Payment) -> bool:
    """The receiver decides. A guest can't, so for a guest receiver any member may act (a payment
    to a guest is confirmed at once anyway; this covers one whose receiver became a guest when
    their account was deleted)."""
    return me.pk == payment.to_member_id or payment.to_member.user_id is None


def _snapshot(payment: Payment) -> dict[str, Any]:
    return {
        "from_member_id": payment.from_member_id,
        "to_member_id": payment.to_member_id,
        "amount": to_decimal_string(payment.amount, payment.currency),
        "currency": payment.currency,
        "bill_id": payment.bill_id,
        "note": payment.note,
        "status": payment.status,
        "is_overpayment": payment.is_overpayment,
    }


def _move_balances(payment: Payment, *, sign: int) -> None:
    apply_balance_deltas(
        group_id=payment.group_id,
        paid={payment.from_member_id: sign * payment.amount},
        owed={payment.to_member_id: sign * payment.amount},
    )
    debt = payment_debt(
        from_member_id=payment.from_member_id,
        to_member_id=payment.to_member_id,
        amount=payment.amount,
    )
    if sign > 0:
        add_pair_debts(group_id=payment.group_id, debts=[debt])
    else:
        add_pair_debts(group_id=payment.group_id, debts=(), minus=[debt])


def _require_movable(*, me: Member, payment: Payment, verb: str) -> None:
    """A balance change must not touch a member who has left: their balance is zero by a
    database constraint, and the payment's currency must still be the group's."""
    members = member_states(
        group_id=payment.group_id, ids={payment.from_member_id, payment.to_member_id}
    )
    gone = [m.name for m in members.values() if not m.is_active]
    if gone:
        raise Conflict(
            _("This payment can't be changed: {names} left the group. Add them back first.").format(
                names=", ".join(gone)
            ),
            code="member_inactive",
        )
    if payment.currency != me.group.currency:
        raise Conflict(
            _(
                "This payment can't be changed: it is in {currency} but the group now uses "
                "{group_currency}."
            ).format(currency=payment.currency, group_currency=me.group.currency),
            code="currency_mismatch",
        )


@write_transaction
def payment_record(
    *,
    me: Member,
    from_member_id: int,
    to_member_id: int,
    amount: str,
    currency: str,
    bill_id: int | None = None,
    note: str = "",
) -> Payment:
    """Record a payment between two active members. Confirmed at once when the caller is the
    receiver or the receiver is a guest (nobody else could confirm it); pending otherwise."""
    group = me.group = lock_group(group_id=me.group_id)
    errors: dict[str, list[str]] = {}
    members = member_states(group_id=group.pk, ids={from_member_id, to_member_id})
    payer, receiver = members.get(from_member_id), members.get(to_member_id)
    if payer is None or not payer.is_active:
        errors["from_member_id"] = [_("No active member with this id in the group.")]
    if receiver is None or not receiver.is_active:
        errors["to_member_id"] = [_("No active member with this id in the group.")]
    elif from_member_id == to_member_id:
        errors["to_member_id"] = [_("The payer and the receiver must be different members.")]
    if currency != group.currency:
        errors["currency"] = [
            _(
                "Payments are recorded in the group's currency, {currency}: "
                "convert the amount first."
            ).format(currency=group.currency)
        ]
    minor = 0
    try:
        minor = parse_amount(amount, group.currency, allow_zero=False)
    except MoneyError as exc:
        errors["amount"] = [exc.message]
    if (
        bill_id is not None
        and not Bill.objects.filter(group_id=group.pk, pk=bill_id, deleted_at__isnull=True).exists()
    ):
        errors["bill_id"] = [_("No such bill in this group.")]
    if errors:
        raise Invalid(_("The payment is invalid."), fields=errors)
    assert payer is not None
    assert receiver is not None

    confirmed = receiver.pk == me.pk or receiver.user_id is None
    now = timezone.now()
    payment = Payment.objects.create(
        group=group,
        from_member=payer,
        to_member=receiver,
        amount=minor,
        currency=group.currency,
        bill_id=bill_id,
        note=note,
        status=PaymentStatus.CONFIRMED if confirmed else PaymentStatus.PENDING,
        is_overpayment=minor > owed_between(group=group, debtor=payer, creditor=receiver),
        recorded_by_id=me.user_id,
        created_at=now,
        decided_at=now if confirmed else None,
    )
    if confirmed:
        _move_balances(payment, sign=+1)
    activity_record(
        by=me,
        verb="payment.recorded",
        target_type="payment",
        target_id=payment.pk,
        summary=(
            f"{me.name} recorded {payer.name} paying {receiver.name} "
            f"{to_decimal_string(minor, group.currency)} {group.currency}"
            + (" (confirmed)" if confirmed else "")
        ),
        changes=diff({}, _snapshot(payment)),
    )
    return payment


@write_transaction
def payment_confirm(*, me: Member, payment_id: int) -> Payment:
    """The receiver confirms: the payment now moves balances. Confirming again changes nothing;
    a rejected payment can't be confirmed (409: record a new one)."""
    payment = _lock(me=me, payment_id=payment_id)
    if not _acts_for_receiver(me=me, payment=payment):
        raise PermissionDenied(
            _("Only the receiver can confirm this payment."), code="not_payment_receiver"
        )
    if payment.status == PaymentStatus.CONFIRMED:
        return payment
    if payment.status == PaymentStatus.REJECTED:
        raise Conflict(
            _("This payment was rejected; record a new one instead."), code="payment_rejected"
        )
    _require_movable(me=me, payment=payment, verb="confirm")
    _decide(me=me, payment=payment, status=PaymentStatus.CONFIRMED, said="confirmed receiving")
    return payment


@write_transaction
def payment_reject(*, me: Member, payment_id: int) -> Payment:
    """The receiver says the money never arrived. Rejecting again changes nothing; a confirmed
    payment can't be rejected (409: delete it instead, which reverses it)."""
    payment = _lock(me=me, payment_id=payment_id)
    if not _acts_for_receiver(me=me, payment=payment):
        raise PermissionDenied(
            _("Only the receiver can reject this payment."), code="not_payment_receiver"
        )
    if payment.status == PaymentStatus.REJECTED:
        return payment
    if payment.status == PaymentStatus.CONFIRMED:
        raise Conflict(
            _("This payment is already confirmed; delete it to undo it."), code="payment_confirmed"
        )
    _decide(me=me, payment=payment, status=PaymentStatus.REJECTED, said="rejected a payment of")
    return payment


def _decide(*, me: Member, payment: Payment, status: PaymentStatus, said: str) -> None:
    """The receiver's decision on a pending payment; only a confirmation moves balances."""
    before = _snapshot(payment)
    payment.status = status
    payment.decided_at = timezone.now()
    payment.save(update_fields=["status", "decided_at"])
    if status == PaymentStatus.CONFIRMED:
        _move_balances(payment, sign=+1)
    activity_record(
        by=me,
        verb=f"payment.{status.value}",
        target_type="payment",
        target_id=payment.pk,
        summary=(
            f"{me.name} {said} "
            f"{to_decimal_string(payment.amount, payment.currency)} {payment.currency}"
        ),
        changes=diff(before, _snapshot(payment)),
    )


@write_transaction
def payment_delete(*, me: Member, payment_id: int) -> None:
    """Whoever recorded it, or the receiver, may delete a payment; a confirmed one's effect on
    the balances is reversed in the same transaction."""
    payment = _lock(me=me, payment_id=payment_id)
    recorder = payment.recorded_by_id is not None and payment.recorded_by_id == me.user_id
    if not (recorder or _acts_for_receiver(me=me, payment=payment)):
        raise PermissionDenied(
            _("Only whoever recorded this payment, or its receiver, can delete it."),
            code="not_payment_owner",
        )
    before = _snapshot(payment)
    if payment.status == PaymentStatus.CONFIRMED:
        _require_movable(me=me, payment=payment, verb="delete")
        _move_balances(payment, sign=-1)
    payment_pk = payment.pk
    payment.delete()
    activity_record(
        by=me,
        verb="payment.deleted",
        target_type="payment",
        target_id=payment_pk,
        summary=(
            f"{me.name} deleted a {before['status']} payment of "
            f"{before['amount']} {payment.currency}"
        ),
        changes=diff(before, {}),
    )
