"""The one way to a bill: through the caller's membership of its group (404 otherwise)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.bills.models import Bill
from paytungan.common.errors import NotFound
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Member


def bill_for_member(
    *, user: User, group_id: int, bill_id: int, include_deleted: bool = False
) -> tuple[Member, Bill]:
    """The caller's membership and the bill (two queries). A soft-deleted bill is found only with
    `include_deleted` (reading it, restoring it); otherwise it is a 404 like a missing one."""
    me = group_for_member(user=user, group_id=group_id)
    qs = Bill.objects.filter(group_id=group_id, pk=bill_id)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    bill = qs.first()
    if bill is None:
        raise NotFound(_("No such bill."), code="bill_not_found")
    bill.group = me.group  # already loaded with the membership
    return me, bill
