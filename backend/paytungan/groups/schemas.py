from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from paytungan.common.schemas import InSchema, OutSchema

# --- groups ------------------------------------------------------------------------------------


class GroupCreateIn(InSchema):
    name: str = Field(min_length=1, max_length=100)
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="ISO 4217 code; defaults to the caller's default currency.",
    )
    simplify_debts: bool = True


class GroupPatchIn(InSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="Changeable only while the group has no bills or payments (else 409).",
    )
    simplify_debts: bool | None = None


class GroupOut(OutSchema):
    id: int
    name: str
    currency: str
    simplify_debts: bool
    created_at: datetime
    member_count: int = Field(description="Active members, guests included.")
    my_member_id: int
    my_balance: str = Field(description="The caller's balance, decimal string; positive = owed.")
    is_creator: bool = Field(description="The caller created the group (and so may delete it).")
    can_delete: bool = Field(
        description="The caller may delete the group (creator, or the creator has left)."
    )


class GroupListOut(OutSchema):
    items: list[GroupOut]
    next_cursor: str | None


# --- members -----------------------------------------------------------------------------------


class MemberAddIn(InSchema):
    """Exactly one of: `name` (a guest), `email` or `username` (an existing user)."""

    name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    username: str | None = Field(default=None, max_length=30)


class MemberPatchIn(InSchema):
    name: str = Field(
        max_length=100,
        description="Display name in this group (a user's profile name is not changed).",
    )


class MemberOut(OutSchema):
    id: int
    name: str
    user_id: int | None = Field(description="null for a guest")
    is_me: bool
    is_active: bool
    balance: str = Field(description="Decimal string in the group currency; positive = owed.")


class MemberListOut(OutSchema):
    items: list[MemberOut]


class MembershipOut(OutSchema):
    group_id: int
    member_id: int


# --- invites -----------------------------------------------------------------------------------


class InviteCreateIn(InSchema):
    expires_in_days: int | None = Field(
        default=30,
        ge=1,
        le=365,
        description="Days until the invite expires (default 30); null for one that never expires.",
    )


class InviteOut(OutSchema):
    code: str
    url: str
    expires_at: datetime | None
    created_at: datetime


class InviteListOut(OutSchema):
    items: list[InviteOut]


class GuestOut(OutSchema):
    id: int
    name: str


class InvitePreviewOut(OutSchema):
    group_name: str
    currency: str
    member_count: int
    claimable_guests: list[GuestOut]
    already_member: bool
    expires_at: datetime | None


class InviteAcceptIn(InSchema):
    claim_member_id: int | None = Field(
        default=None, description="A guest of the group to become (keeps its id and history)."
    )


# --- activity ----------------------------------------------------------------------------------


class ActivityOut(OutSchema):
    id: int
    verb: str
    summary: str
    actor_name: str | None
    actor_member_id: int | None
    target_type: str
    target_id: int | None
    changes: dict[str, Any]
    created_at: datetime


class ActivityListOut(OutSchema):
    items: list[ActivityOut]
    next_cursor: str | None
