"""The one way into a group: through the caller's membership. Non-members get 404, never 403,
so a group's existence isn't revealed."""

from __future__ import annotations

from paytungan.accounts.models import User
from paytungan.common.errors import NotFound
from paytungan.groups.models import Member


def group_for_member(*, user: User, group_id: int) -> Member:
    """The caller's active membership of the group, with `.group` loaded (one query)."""
    member = (
        Member.objects.select_related("group")
        .filter(group_id=group_id, user=user, is_active=True)
        .first()
    )
    if member is None:
        raise NotFound("No such group.", code="group_not_found")
    return member


def member_in_group(*, group_id: int, member_id: int, active_only: bool = True) -> Member:
    qs = Member.objects.filter(group_id=group_id, pk=member_id)
    if active_only:
        qs = qs.filter(is_active=True)
    member = qs.first()
    if member is None:
        raise NotFound("No such member in this group.", code="member_not_found")
    return member
