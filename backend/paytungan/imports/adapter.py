"""The only place the import touches the other apps' write services.

The bills, payments and groups services are being reshaped (a single "persist a computed bill"
function is coming); the import calls them only through these few functions, so a rename or a
new signature is a change here and nowhere else.
"""

from __future__ import annotations

from paytungan.accounts.models import User
from paytungan.bills.schemas import BillIn
from paytungan.bills.services import bill_create
from paytungan.groups.models import Member
from paytungan.groups.services import member_add
from paytungan.payments.models import PaymentStatus
from paytungan.payments.services import payment_confirm, payment_record


def add_guest(*, me: Member, name: str) -> Member:
    return member_add(me=me, name=name)


def create_bill(*, me: Member, user: User, data: BillIn) -> int:
    """Create the bill as `me` would from the app; returns its id."""
    return bill_create(member=me, user=user, data=data).bill.pk


def record_settled_payment(
    *, me: Member, receiver: Member, from_member_id: int, amount: str, currency: str, note: str
) -> int:
    """A payment that already happened (it is in the other app's history): recorded by `me`
    and, when it would wait for its receiver's confirmation, confirmed for them, so it counts
    in the balances as it did there."""
    payment = payment_record(
        actor=me,
        from_member_id=from_member_id,
        to_member_id=receiver.pk,
        amount=amount,
        currency=currency,
        note=note,
    )
    if payment.status == PaymentStatus.PENDING:
        payment_confirm(actor=receiver, payment_id=payment.pk)
    return payment.pk
