"""GET /api/invites/{code}/public: what a logged-out visitor of an invite link may see.

The link itself is the secret (128 random bits, groups/invites.py), so whoever holds it may learn
the group's name and who invited them before signing up; nothing else (no member list, no
guests). A code that is unknown, revoked or expired is 404 `invite_not_found`, as everywhere.
The read is `groups.selectors.invite_public` (one query).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from paytungan.common.schemas import OutSchema
from paytungan.groups import selectors

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
    return selectors.invite_public(code=code)
