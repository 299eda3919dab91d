"""Group reads: the caller's groups, one group, its members, its activity log, its invites.

Every read is a fixed number of queries whatever the number of rows (asserted in tests).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common import sql_reads
from paytungan.common.errors import NotFound
from paytungan.common.pagination import (
    clamp_limit,
    cursor_kind,
    decode_cursor,
    encode_cursor,
    paginate,
)
from paytungan.groups.models import Activity, Group, Invite, Member
from paytungan.money import to_decimal_string


def _may_delete(*, created_by_id: int | None, my_user_id: int | None, creator_active: bool) -> bool:
    """The creator may delete; so may any member once the creator is gone (left, removed or
    account deleted), else an abandoned group could never be deleted."""
    return created_by_id == my_user_id or not creator_active


def can_delete_group(*, me: Member, creator_active: bool) -> bool:
    return _may_delete(
        created_by_id=me.group.created_by_id, my_user_id=me.user_id, creator_active=creator_active
    )


def _payload(
    group_id: int,
    name: str,
    currency: str,
    simplify_debts: bool,
    created_at: Any,  # a datetime, or the text the encoder would write for it (the list's SQL)
    member_count: int,
    my_member_id: int,
    my_balance: int,
    created_by_id: int | None,
    my_user_id: int | None,
    creator_active: bool,
) -> dict[str, Any]:
    """A group as the API shows it to one member; the arguments are in `_GROUP_LIST_SQL`'s
    column order, so the list builds it straight from its rows."""
    return {
        "id": group_id,
        "name": name,
        "currency": currency,
        "simplify_debts": simplify_debts,
        "created_at": created_at,
        "member_count": member_count,
        "my_member_id": my_member_id,
        "my_balance": to_decimal_string(my_balance, currency),
        "is_creator": created_by_id is not None and created_by_id == my_user_id,
        "can_delete": _may_delete(
            created_by_id=created_by_id, my_user_id=my_user_id, creator_active=creator_active
        ),
    }


def group_payload(*, me: Member, member_count: int, creator_active: bool) -> dict[str, Any]:
    group = me.group
    return _payload(
        group.pk,
        group.name,
        group.currency,
        group.simplify_debts,
        group.created_at,
        member_count,
        me.pk,
        me.balance,
        group.created_by_id,
        me.user_id,
        creator_active,
    )


def _group_list_sql(*, after: bool) -> str:
    members, groups = sql_reads.table(Member), sql_reads.table(Group)
    created_at = sql_reads.json_datetime('g."created_at"')
    # Table and column names come from the models; every value is a parameter. Only the
    # columns the payload shows, in `_payload`'s order: building model instances and parsing
    # the columns nobody reads cost more than the query (docs/benchmarks.md, "Request path").
    return (
        'SELECT g."id", g."name", g."currency", g."simplify_debts",'  # noqa: S608
        f" {created_at},"
        f' (SELECT count(*) FROM {members} c WHERE c."group_id" = m."group_id"'
        ' AND c."is_active"),'
        ' m."id", m."paid" - m."owed", g."created_by_id", m."user_id",'
        f' EXISTS (SELECT 1 FROM {members} c WHERE c."group_id" = m."group_id"'
        ' AND c."user_id" = g."created_by_id" AND c."is_active")'
        f' FROM {members} m JOIN {groups} g ON g."id" = m."group_id"'
        ' WHERE m."user_id" = %s AND m."is_active"'
        + (' AND m."group_id" < %s' if after else "")
        + ' ORDER BY m."group_id" DESC LIMIT %s'
    )


_GROUP_LIST_SQL = {after: _group_list_sql(after=after) for after in (False, True)}


def group_list(
    *, user: User, limit: int | None, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The caller's groups, newest first, each with my_balance and its member count: one
    query for the page (the caller's membership rows, each joined to its group), written out
    because compiling it as an annotated queryset cost more than running it."""
    size = clamp_limit(limit)
    params: list[Any] = [user.pk]
    if cursor:
        params += decode_cursor(cursor, [cursor_kind(Member, "group_id")])
    params.append(size + 1)
    rows = sql_reads.fetch_prepared(_GROUP_LIST_SQL[bool(cursor)], params)
    items = [_payload(*row) for row in rows[:size]]
    next_cursor = encode_cursor([items[-1]["id"]]) if len(rows) > size else None
    return items, next_cursor


def group_detail(*, me: Member) -> dict[str, Any]:
    """One query on top of the access check: the member count and whether the creator is
    still an active member, together."""
    group = me.group
    # No creator (account deleted) must match nobody: Q(user_id=None) would mean "IS NULL"
    # and count the guests.
    creator = Q(user_id=group.created_by_id) if group.created_by_id is not None else Q(pk=None)
    counts = Member.objects.filter(group_id=group.pk, is_active=True).aggregate(
        count=Count("pk"), creator=Count("pk", filter=creator)
    )
    return group_payload(me=me, member_count=counts["count"], creator_active=counts["creator"] > 0)


def member_payload(*, member: Member, me: Member, currency: str) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.name,
        "user_id": member.user_id,
        "is_me": member.pk == me.pk,
        "is_active": member.is_active,
        "balance": to_decimal_string(member.balance, currency),
    }


def member_list(*, me: Member, include_inactive: bool = False) -> list[dict[str, Any]]:
    """Active members in the order they joined; removed ones too when asked (history still
    names them)."""
    qs: QuerySet[Member] = Member.objects.filter(group_id=me.group_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    currency = me.group.currency
    return [member_payload(member=m, me=me, currency=currency) for m in qs.order_by("pk")]


def activity_payload(activity: Activity) -> dict[str, Any]:
    if activity.actor_member is not None:
        actor_name: str | None = activity.actor_member.name
    elif activity.actor is not None:
        actor_name = activity.actor.name
    else:
        actor_name = None
    return {
        "id": activity.pk,
        "verb": activity.verb,
        "summary": activity.summary,
        "actor_name": actor_name,
        "actor_member_id": activity.actor_member_id,
        "target_type": activity.target_type,
        "target_id": activity.target_id,
        "changes": activity.changes,
        "created_at": activity.created_at,
    }


def activity_list(
    *, group_id: int, limit: int | None, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    qs = Activity.objects.filter(group_id=group_id).select_related("actor_member", "actor")
    rows, next_cursor = paginate(qs, fields=["id"], limit=limit, cursor=cursor)
    return [activity_payload(a) for a in rows], next_cursor


# --- invites ---------------------------------------------------------------------------------
def usable() -> Q:
    """Invites not revoked and not expired."""
    return Q(revoked_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def invite_list(*, me: Member) -> QuerySet[Invite]:
    """The group's usable invites, newest first."""
    return Invite.objects.filter(usable(), group_id=me.group_id).order_by("-id")


# What `invite_create` hands out (`secrets.token_urlsafe`), within the column's length. A path
# segment that can't be a code never reaches the database: a NUL byte there would make
# PostgreSQL refuse the query, and every refusal is reported to Sentry (a flood vector, and the
# public preview needs no login).
_CODE_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{Invite._meta.get_field('code').max_length}}}")


def is_invite_code(code: str) -> bool:
    return _CODE_SHAPE.fullmatch(code) is not None


def _no_such_invite() -> NotFound:
    return NotFound(_("This invite link is invalid, revoked or expired."), code="invite_not_found")


def usable_invite(code: str) -> Invite:
    """The invite with its group, if the code is usable; else the 404 every invite route gives."""
    if not is_invite_code(code):
        raise _no_such_invite()
    invite = Invite.objects.select_related("group").filter(usable(), code=code).first()
    if invite is None:
        raise _no_such_invite()
    return invite


def invite_preview(*, user: User, code: str) -> dict[str, Any]:
    """What someone about to join sees: two queries (the invite with its group, the members)."""
    invite = usable_invite(code)
    members = list(
        Member.objects.filter(group_id=invite.group_id, is_active=True)
        .order_by("pk")
        .values_list("pk", "name", "user_id")
    )
    return {
        "group_name": invite.group.name,
        "currency": invite.group.currency,
        "member_count": len(members),
        "claimable_guests": [
            {"id": pk, "name": name} for pk, name, user_id in members if user_id is None
        ],
        "already_member": any(user_id == user.pk for __, ___, user_id in members),
        "expires_at": invite.expires_at,
    }


def invite_public(*, code: str) -> dict[str, Any]:
    """What a logged-out visitor of an invite link may see (groups/invite_public.py), in one
    query: the invite with its group, and the inviter's name in that group by subquery."""
    if not is_invite_code(code):
        raise _no_such_invite()
    inviter = Member.objects.filter(
        group_id=OuterRef("group_id"), user_id=OuterRef("created_by_id"), is_active=True
    ).values("name")[:1]
    active = (
        Member.objects.filter(group_id=OuterRef("group_id"), is_active=True)
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    invite = (
        Invite.objects.select_related("group")
        .filter(usable(), code=code)
        .annotate(
            inviter_name=Subquery(inviter),
            member_count=Subquery(active, output_field=IntegerField()),
        )
        .first()
    )
    if invite is None:
        raise _no_such_invite()
    return {
        "group_name": invite.group.name,
        "inviter_name": invite.inviter_name,
        "member_count": invite.member_count or 0,
        "expires_at": invite.expires_at,
    }
