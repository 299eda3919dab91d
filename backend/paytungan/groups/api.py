"""Groups, members, invites and the activity log over HTTP. Thin: every group-scoped handler
starts with the access check, then calls a service or selector."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from paytungan.accounts.auth import request_user
from paytungan.common.responses import shaped_json
from paytungan.groups import invites, selectors, services
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Invite
from paytungan.groups.schemas import (
    ActivityListOut,
    GroupCreateIn,
    GroupListOut,
    GroupOut,
    GroupPatchIn,
    InviteAcceptIn,
    InviteCreateIn,
    InviteListOut,
    InviteOut,
    InvitePreviewOut,
    MemberAddIn,
    MemberListOut,
    MemberOut,
    MemberPatchIn,
    MembershipOut,
)
from paytungan.ops.idempotency import idempotent

router = Router(tags=["groups"])
invites_router = Router(tags=["invites"])


# --- groups ------------------------------------------------------------------------------------


@router.get("", response=GroupListOut)
def group_list(
    request: HttpRequest, limit: int | None = None, cursor: str | None = None
) -> HttpResponse:
    items, next_cursor = selectors.group_list(
        user=request_user(request), limit=limit, cursor=cursor
    )
    return shaped_json({"items": items, "next_cursor": next_cursor})


@router.post("", response={201: GroupOut})
def group_create(request: HttpRequest, payload: GroupCreateIn) -> Status[Any]:
    user = request_user(request)

    def run() -> tuple[int, dict[str, Any]]:
        me = services.group_create(
            user=user,
            name=payload.name,
            currency=payload.currency,
            simplify_debts=payload.simplify_debts,
        )
        return 201, selectors.group_payload(me=me, member_count=1, creator_active=True)

    status, body = idempotent(request, user=user, schema=GroupOut, run=run)
    return Status(status, body)


@router.get("/{int:gid}", response=GroupOut)
def group_get(request: HttpRequest, gid: int) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return selectors.group_detail(me=me)


@router.patch("/{int:gid}", response=GroupOut)
def group_update(request: HttpRequest, gid: int, payload: GroupPatchIn) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    me = services.group_update(
        me=me, name=payload.name, currency=payload.currency, simplify_debts=payload.simplify_debts
    )
    return selectors.group_detail(me=me)


@router.delete("/{int:gid}", response={204: None})
def group_delete(request: HttpRequest, gid: int) -> Status[None]:
    me = group_for_member(user=request_user(request), group_id=gid)
    services.group_delete(me=me)
    return Status(204, None)


# --- members -----------------------------------------------------------------------------------


@router.get("/{int:gid}/members", response=MemberListOut)
def member_list(request: HttpRequest, gid: int, include_inactive: bool = False) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return {"items": selectors.member_list(me=me, include_inactive=include_inactive)}


@router.post("/{int:gid}/members", response={201: MemberOut})
def member_add(request: HttpRequest, gid: int, payload: MemberAddIn) -> Status[Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    member = services.member_add(
        me=me, name=payload.name, email=payload.email, username=payload.username
    )
    return Status(201, selectors.member_payload(member=member, me=me, currency=me.group.currency))


@router.patch("/{int:gid}/members/{int:mid}", response=MemberOut)
def member_rename(
    request: HttpRequest, gid: int, mid: int, payload: MemberPatchIn
) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    member = services.member_rename(me=me, member_id=mid, name=payload.name)
    return selectors.member_payload(member=member, me=me, currency=me.group.currency)


@router.delete("/{int:gid}/members/{int:mid}", response={204: None})
def member_remove(request: HttpRequest, gid: int, mid: int) -> Status[None]:
    me = group_for_member(user=request_user(request), group_id=gid)
    services.member_remove(me=me, member_id=mid)
    return Status(204, None)


@router.post("/{int:gid}/leave", response={204: None})
def member_leave(request: HttpRequest, gid: int) -> Status[None]:
    me = group_for_member(user=request_user(request), group_id=gid)
    services.member_leave(me=me)
    return Status(204, None)


# --- invites -----------------------------------------------------------------------------------


def _invite_url(code: str) -> str:
    return f"{settings.FRONTEND_URL}/join/{code}"


def _invite(invite: Invite) -> dict[str, Any]:
    return {
        "code": invite.code,
        "url": _invite_url(invite.code),
        "expires_at": invite.expires_at,
        "created_at": invite.created_at,
    }


@router.get("/{int:gid}/invites", response=InviteListOut)
def invite_list(request: HttpRequest, gid: int) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return {"items": [_invite(i) for i in selectors.invite_list(me=me)]}


@router.post("/{int:gid}/invites", response={201: InviteOut})
def invite_create(
    request: HttpRequest, gid: int, payload: InviteCreateIn | None = None
) -> Status[Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    # No body: the defaults (expires in 30 days).
    invite = invites.invite_create(
        me=me, expires_in_days=(payload or InviteCreateIn()).expires_in_days
    )
    return Status(201, _invite(invite))


@router.delete("/{int:gid}/invites/{code}", response={204: None})
def invite_revoke(request: HttpRequest, gid: int, code: str) -> Status[None]:
    me = group_for_member(user=request_user(request), group_id=gid)
    invites.invite_revoke(me=me, code=code)
    return Status(204, None)


@invites_router.get("/{code}", response=InvitePreviewOut)
def invite_preview(request: HttpRequest, code: str) -> dict[str, Any]:
    return selectors.invite_preview(user=request_user(request), code=code)


@invites_router.post("/{code}/accept", response=MembershipOut)
def invite_accept(
    request: HttpRequest, code: str, payload: InviteAcceptIn | None = None
) -> dict[str, int]:
    # The body is optional: accepting without claiming a guest needs nothing.
    claim = payload.claim_member_id if payload is not None else None
    member = invites.invite_accept(user=request_user(request), code=code, claim_member_id=claim)
    return {"group_id": member.group_id, "member_id": member.pk}


# --- activity ----------------------------------------------------------------------------------


@router.get("/{int:gid}/activity", response=ActivityListOut)
def activity_list(
    request: HttpRequest, gid: int, limit: int | None = None, cursor: str | None = None
) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    items, next_cursor = selectors.activity_list(group_id=me.group_id, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}
