"""GET /api/groups/{gid}/changes: has anything changed in this group since I last looked?

Every state change in a group writes an activity row in the same transaction (DESIGN.md
conventions), so the newest activity id is a version of the whole group that only grows. With
the caller's pending confirmations it makes a strong ETag; a poll whose If-None-Match still
matches costs the membership check and two indexed aggregates, and answers 304 with no
body. Open pages poll this every few seconds and refetch their real reads only when it moved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import Field

from paytungan.accounts.auth import request_user
from paytungan.common.schemas import OutSchema
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Activity
from paytungan.payments.models import Payment, PaymentStatus

router = Router(tags=["groups"])


class GroupChangesOut(OutSchema):
    version: int = Field(
        description="The group's newest activity id: it grows with every change any member "
        "makes (bills, payments, members, settings); 0 for a group without activity."
    )
    pending_confirmations: int = Field(
        description="Payments to the caller in this group waiting for their confirmation."
    )


def _etag(*, group_id: int, member_id: int, version: int, pending: int) -> str:
    return f'"g{group_id}.m{member_id}.v{version}.p{pending}"'


def _matches(header: str, etag: str) -> bool:
    """If-None-Match holds our tag (also in a list, or weak: W/"...")."""
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


@router.get(
    "/{int:gid}/changes",
    response={200: GroupChangesOut, 304: None},
    summary="Group version for polling (ETag / If-None-Match)",
)
def group_changes(request: HttpRequest, gid: int) -> Any:
    """The group's version and the caller's pending confirmations. Send the last ETag as
    If-None-Match: an unchanged group answers 304 Not Modified with no body."""
    me = group_for_member(user=request_user(request), group_id=gid)
    version = Activity.objects.filter(group_id=gid).aggregate(v=Max("id"))["v"] or 0
    pending = Payment.objects.filter(to_member_id=me.pk, status=PaymentStatus.PENDING).count()
    etag = _etag(group_id=gid, member_id=me.pk, version=version, pending=pending)
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            GroupChangesOut(version=version, pending_confirmations=pending).model_dump_json(),
            content_type="application/json",
        )
    response["ETag"] = etag
    # The browser may keep it but must ask again each time; nothing shared caches it.
    response["Cache-Control"] = "private, no-cache"
    return response
