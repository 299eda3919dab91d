"""The payments of a group, for the group services (registered in groups.contents by apps.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from paytungan.common.errors import Conflict
from paytungan.groups.contents import Contents
from paytungan.groups.models import Member
from paytungan.payments.models import Payment, PaymentStatus


def _exists(group_id: int) -> bool:
    return Payment.objects.filter(group_id=group_id).exists()


def _delete(group_id: int) -> None:
    """Payments protect their members from deletion: they go before the group."""
    Payment.objects.filter(group_id=group_id).delete()


def _check_can_go(member: Member, own: bool) -> None:
    """No payment waiting for confirmation: confirmed after the member left, it would move the
    balance of someone no longer in the group."""
    pending = Payment.objects.filter(
        Q(from_member_id=member.pk) | Q(to_member_id=member.pk), status=PaymentStatus.PENDING
    )
    if pending.exists():
        raise Conflict(
            _("You have a payment waiting for confirmation.")
            if own
            else _("{name} has a payment waiting for confirmation.").format(name=member.name),
            code="pending_payments",
        )


PAYMENTS = Contents(name="payments", exists=_exists, delete=_delete, check_can_go=_check_can_go)
