"""The one way to a payment: through the caller's membership of its group.

A payment of another group, or of a group the caller isn't in, is a 404 like a missing one, so
neither the group nor the payment is revealed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common.errors import NotFound
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Member
from paytungan.payments.models import Payment


def payment_for_member(*, user: User, group_id: int, payment_id: int) -> tuple[Member, Payment]:
    """The caller's active membership (with `.group`) and the payment in that group (two
    queries)."""
    me = group_for_member(user=user, group_id=group_id)
    payment = Payment.objects.filter(group_id=group_id, pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No such payment in this group."), code="payment_not_found")
    return me, payment
