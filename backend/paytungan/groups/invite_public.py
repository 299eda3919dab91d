"""GET /api/invites/{code}/public: what a logged-out visitor of an invite link may see.

The link itself is the secret (128 random bits, groups/invites.py), so whoever holds it may learn
the group's name and who invited them before signing up; nothing else (no member list, no
guests). A code that is unknown, revoked or expired is 404 `invite_not_found`, as everywhere.
One query: the invite with its group, and the inviter's name in that group by subquery.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from paytungan.common.errors import NotFound
from paytungan.common.schemas import OutSchema
from paytungan.groups.invites import _usable
from paytungan.groups.models import Invite, Member

router = Router(tags=["invites"])


class InvitePublicOut(OutSchema):
    group_name: str
    inviter_name: str | None = Field(
        description="The inviter's name in the group; null when they left or deleted the account."
    )
    member_count: int
    expires_at: dt.datetime | None = Field(description="Null for a link that never expires.")


@router.get("/{code}/public", response=InvitePublicOut, auth=None)
def invite_public(request: HttpRequest, code: str) -> dict[str, Any]:
    """The group's name and the inviter's, for the invite page of a logged-out visitor."""
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
        .filter(_usable(), code=code)
        .annotate(
            inviter_name=Subquery(inviter),
            member_count=Subquery(active, output_field=IntegerField()),
        )
        .first()
    )
    if invite is None:
        raise NotFound(
            _("This invite link is invalid, revoked or expired."), code="invite_not_found"
        )
    return {
        "group_name": invite.group.name,
        "inviter_name": invite.inviter_name,
        "member_count": invite.member_count or 0,
        "expires_at": invite.expires_at,
    }
