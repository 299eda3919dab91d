"""Invite writes: create and revoke (members), accept (any logged-in user). The reads (list,
preview, the public view) are in groups/selectors.py, the response shape in groups/api.py.

A code is 128 random bits (`secrets.token_urlsafe(16)`), so it can't be guessed; a revoked,
expired or unknown code is the same 404.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common.errors import Conflict, NotFound, field_error
from paytungan.groups.activity import activity_record
from paytungan.groups.locks import lock_group, lock_guest, lock_membership
from paytungan.groups.models import Group, Invite, Member
from paytungan.groups.selectors import is_invite_code, usable_invite


@transaction.atomic
def invite_create(*, me: Member, expires_in_days: int | None) -> Invite:
    now = timezone.now()
    invite = Invite.objects.create(
        group_id=me.group_id,
        code=secrets.token_urlsafe(16),
        created_by=me.user,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    activity_record(
        by=me,
        verb="invite.created",
        target_type="invite",
        target_id=invite.pk,
        summary=f"{me.name} created an invite link",
        changes={"expires_at": invite.expires_at.isoformat() if invite.expires_at else None},
    )
    return invite


@transaction.atomic
def invite_revoke(*, me: Member, code: str) -> None:
    """Revoking twice is fine (the link is dead either way); another group's code is a 404."""
    if not is_invite_code(code):
        raise NotFound(_("No such invite."), code="invite_not_found")
    invite = Invite.objects.select_for_update().filter(group_id=me.group_id, code=code).first()
    if invite is None:
        raise NotFound(_("No such invite."), code="invite_not_found")
    if invite.revoked_at is not None:
        return
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at"])
    activity_record(
        by=me,
        verb="invite.revoked",
        target_type="invite",
        target_id=invite.pk,
        summary=f"{me.name} revoked an invite link",
    )


@transaction.atomic
def invite_accept(*, user: User, code: str, claim_member_id: int | None) -> Member:
    """Join the invite's group, as a new member or by claiming one of its guests (the guest row
    becomes the user's: same id, same history). Accepting again returns the membership.

    Locks as every write does (groups.locks): the group first, since joining changes a member's
    `is_active`, which money writes read under that lock; then the one member row."""
    invite = usable_invite(code)
    group = lock_group(group_id=invite.group_id)
    group_id = group.pk
    existing = lock_membership(group=group, user_id=user.pk)
    if existing is not None and existing.is_active:
        if claim_member_id is None or claim_member_id == existing.pk:
            return existing
        raise Conflict(
            _("You're already a member of this group, so you can't claim a guest too."),
            code="already_member",
        )
    if claim_member_id is not None:
        if existing is not None:
            raise Conflict(
                _(
                    "You were a member of this group before: join without claiming a guest to "
                    "get your old membership back."
                ),
                code="previous_member",
            )
        member = _claim(user=user, group=group, member_id=claim_member_id)
        verb, summary = "member.claimed", f"{user.name} joined as {member.name}"
    elif existing is not None:
        existing.is_active = True
        existing.left_at = None
        existing.save(update_fields=["is_active", "left_at"])
        member = existing
        verb, summary = "member.joined", f"{member.name} rejoined the group"
    else:
        try:
            with transaction.atomic():
                member = Member.objects.create(
                    group_id=group_id, user=user, name=user.name or user.email
                )
        except IntegrityError:
            # The same user accepting twice at once: the other request created it.
            return Member.objects.get(group_id=group_id, user=user)
        verb, summary = "member.joined", f"{member.name} joined the group"
    activity_record(
        by=member,
        verb=verb,
        target_type="member",
        target_id=member.pk,
        summary=summary,
        changes={"user_id": user.pk, "invite_id": invite.pk},
    )
    return member


def _claim(*, user: User, group: Group, member_id: int) -> Member:
    guest = lock_guest(group=group, member_id=member_id)
    if guest is None:
        raise field_error(
            "claim_member_id", _("No such guest in this group."), code="guest_not_found"
        )
    if guest.user_id is not None:
        raise Conflict(_("Someone has already claimed this guest."), code="already_claimed")
    guest.user = user
    try:
        with transaction.atomic():
            guest.save(update_fields=["user"])
    except IntegrityError:
        # The user joined concurrently through another request.
        raise Conflict(_("You're already a member of this group."), code="already_member") from None
    return guest


def prune_expired_invites(now: datetime) -> int:
    """Expired invites, deleted by the daily prune job (ops/prune.py)."""
    return Invite.objects.filter(expires_at__lt=now).delete()[0]
