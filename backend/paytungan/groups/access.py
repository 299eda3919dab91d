"""The one way into a group: through the caller's membership. Non-members get 404, never 403,
so a group's existence isn't revealed.

The API's authentication loads the caller's membership of the group in the URL in the same
query as the caller (accounts/tokens.py, through `MembershipScope` below, which
GroupsConfig.ready registers) and leaves it on the request's user object with
`remember_membership`; `group_for_member` then answers from it instead of asking the database
again. The user object lives for one request, so this is never staler than a read at the start
of the handler (docs/decisions/0009-request-path.md).

The caller's own membership is called `me` everywhere: the handlers, the access helpers, and
every service and selector that acts for the caller (`bill_create(me=...)`,
`payment_confirm(me=...)`, `group_detail(me=...)`). An activity record names its actor `by=`:
in a request that is the same object (`activity_record(by=me, ...)`); a job passes the member
it acts for. `member` is any other member (`member_rename(me=..., member_id=...)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common.errors import NotFound
from paytungan.common.sql_reads import columns as sql_columns
from paytungan.groups.models import Group, Member

_ATTR = "_paytungan_membership"


def remember_membership(*, user: User, group_id: int, member: Member | None) -> None:
    """Record the caller's active membership of `group_id` (None: not a member), as loaded
    alongside the user for this request."""
    setattr(user, _ATTR, (group_id, member))


def known_membership(*, user: User, group_id: int) -> Member | None:
    """The membership the caller's query loaded for `group_id` (None: not a member, or not
    loaded), without asking the database."""
    known = getattr(user, _ATTR, None)
    return known[1] if known is not None and known[0] == group_id else None


def group_for_member(*, user: User, group_id: int) -> Member:
    """The caller's active membership of the group, with `.group` loaded (at most one query;
    none when the request's authentication loaded it already)."""
    known = getattr(user, _ATTR, None)
    if known is not None and known[0] == group_id:
        member = known[1]
    else:
        member = (
            Member.objects.select_related("group")
            .filter(group_id=group_id, user=user, is_active=True)
            .first()
        )
    if member is None:
        raise NotFound(_("No such group."), code="group_not_found")
    return member


class MembershipScope:
    """The caller's membership of the group in the URL, loaded in the caller's query
    (accounts.tokens.CallerScope; registered in GroupsConfig.ready)."""

    def sql(self) -> tuple[str, str]:
        _, member_cols = sql_columns(Member, "m")
        _, group_cols = sql_columns(Group, "g")
        joins = (
            f' LEFT JOIN "{Member._meta.db_table}" m'
            ' ON m."user_id" = u."id" AND m."group_id" = %s AND m."is_active"'
            f' LEFT JOIN "{Group._meta.db_table}" g ON g."id" = m."group_id"'
        )
        return f"{member_cols}, {group_cols}", joins

    def attach(self, *, user: User, group_id: int, values: Sequence[Any]) -> None:
        member_fields, _ = sql_columns(Member, "m")
        group_fields, _ = sql_columns(Group, "g")
        member_values, group_values = values[: len(member_fields)], values[len(member_fields) :]
        member = None
        if member_values[0] is not None:
            member = Member.from_db(connection.alias, member_fields, member_values)
            member.group = Group.from_db(connection.alias, group_fields, group_values)
            member.user = user
        remember_membership(user=user, group_id=group_id, member=member)
