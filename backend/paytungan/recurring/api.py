"""Recurring bills under /api/groups/{gid}/recurring: thin handlers over recurring.services and
recurring.selectors. Every handler starts with the access helper (a non-member gets 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from paytungan.accounts.auth import request_user
from paytungan.groups.access import group_for_member
from paytungan.groups.locks import retrying
from paytungan.ops.idempotency import idempotent
from paytungan.recurring import selectors, services
from paytungan.recurring.access import recurring_for_member
from paytungan.recurring.models import RecurringBill
from paytungan.recurring.schemas import (
    RecurringIn,
    RecurringListOut,
    RecurringOut,
    RecurringPatchIn,
)

router = Router(tags=["recurring"])


def _out(template: RecurringBill) -> dict[str, Any]:
    return selectors.recurring_payload(template=template, group=template.group)


@router.get("/{int:gid}/recurring", response=RecurringListOut)
def recurring_list(request: HttpRequest, gid: int) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return selectors.recurring_list(me=me)


@router.post("/{int:gid}/recurring", response={201: RecurringOut})
def recurring_create(request: HttpRequest, gid: int, payload: RecurringIn) -> Status[Any]:
    """Set up a recurring bill: the bill it makes is validated like a bill (422 with the bill's
    field paths). Honours `Idempotency-Key` like creating a bill."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)

    def run() -> tuple[int, dict[str, Any]]:
        return 201, _out(services.recurring_create(me=me, values=payload.to_values()))

    status, body = retrying(
        lambda: idempotent(request, user=user, schema=RecurringOut, run=run),
        name="recurring.create",
    )
    return Status(status, body)


@router.get("/{int:gid}/recurring/{int:rid}", response=RecurringOut)
def recurring_detail(request: HttpRequest, gid: int, rid: int) -> dict[str, Any]:
    _, template = recurring_for_member(user=request_user(request), group_id=gid, template_id=rid)
    return _out(template)


@router.patch("/{int:gid}/recurring/{int:rid}", response=RecurringOut)
def recurring_update(
    request: HttpRequest, gid: int, rid: int, payload: RecurringPatchIn
) -> dict[str, Any]:
    me, template = recurring_for_member(user=request_user(request), group_id=gid, template_id=rid)
    return _out(
        services.recurring_update(
            me=me,
            template=template,
            changes=payload.to_changes(),
            today=timezone.localdate(),
        )
    )


@router.post("/{int:gid}/recurring/{int:rid}/stop", response=RecurringOut)
def recurring_stop(request: HttpRequest, gid: int, rid: int) -> dict[str, Any]:
    """No more bills until resumed; 409 if already stopped."""
    me, template = recurring_for_member(user=request_user(request), group_id=gid, template_id=rid)
    return _out(
        services.recurring_set_active(
            me=me, template=template, active=False, today=timezone.localdate()
        )
    )


@router.post("/{int:gid}/recurring/{int:rid}/resume", response=RecurringOut)
def recurring_resume(request: HttpRequest, gid: int, rid: int) -> dict[str, Any]:
    """Start again at the first date on or after today (stopped periods are not made up)."""
    me, template = recurring_for_member(user=request_user(request), group_id=gid, template_id=rid)
    return _out(
        services.recurring_set_active(
            me=me, template=template, active=True, today=timezone.localdate()
        )
    )


@router.delete("/{int:gid}/recurring/{int:rid}", response={204: None})
def recurring_delete(request: HttpRequest, gid: int, rid: int) -> Status[None]:
    """Delete the template; the bills it made stay."""
    me, template = recurring_for_member(user=request_user(request), group_id=gid, template_id=rid)
    services.recurring_delete(me=me, template=template)
    return Status(204, None)
