"""The one way to a recurring bill: through the caller's membership of its group (404 otherwise)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common.errors import NotFound
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Member
from paytungan.recurring.models import RecurringBill


def recurring_for_member(
    *, user: User, group_id: int, template_id: int
) -> tuple[Member, RecurringBill]:
    """The caller's membership and the template (at most two queries)."""
    me = group_for_member(user=user, group_id=group_id)
    template = RecurringBill.objects.filter(group_id=group_id, pk=template_id).first()
    if template is None:
        raise NotFound(_("No such recurring bill."), code="recurring_not_found")
    template.group = me.group
    return me, template
