"""Group and member writes. Each is one transaction that also writes its activity record.

Callers pass the caller's membership (`me`, from `groups.access.group_for_member`), so nothing
here can touch a group the caller isn't in. Every write in an existing group takes the group lock
first (groups.locks), like bill and payment writes: a member can't leave between a bill's check
and its commit, and the currency can't change under a bill being computed.

Roles: the creator, while an active member, manages the group: only they may remove members
with an account and delete the group. Any member may add members, rename, remove guests and
leave. Once the creator is gone (left, or account deleted) nobody holds the role, so every
member may do what the creator could, else an abandoned group could never be tidied or deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.models import User, normalize_email
from paytungan.common.errors import Conflict, Invalid, NotFound, PermissionDenied, field_error
from paytungan.groups import contents
from paytungan.groups.activity import activity_record, diff
from paytungan.groups.locks import lock_group, write_transaction
from paytungan.groups.models import Group, Member
from paytungan.money import EXPONENTS

NAME_MAX = 100


def clean_name(raw: str, *, path: str = "name", what: str | None = None) -> str:
    name = " ".join(raw.split())  # trim and collapse inner runs of whitespace
    if not name:
        raise field_error(path, _("Enter {what}.").format(what=what or _("a name")))
    if len(name) > NAME_MAX:
        raise field_error(path, _("Use at most {max} characters.").format(max=NAME_MAX))
    return name


def clean_currency(raw: str, *, path: str = "currency") -> str:
    code = raw.strip().upper()
    if code not in EXPONENTS:
        raise field_error(
            path, _("Unknown currency {code}.").format(code=repr(raw)), code="unknown_currency"
        )
    return code


def _check_name_free(*, group_id: int, name: str, exclude_id: int | None = None) -> None:
    """Two active members with the same name would be indistinguishable on a bill."""
    qs = Member.objects.filter(group_id=group_id, is_active=True).annotate(lname=Lower("name"))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    if qs.filter(lname=name.lower()).exists():
        raise field_error(
            "name",
            _("{name} is already a member of this group; use another name.").format(name=name),
            code="name_taken",
        )


# --- groups ------------------------------------------------------------------------------------


@write_transaction
def group_create(
    *, user: User, name: str, currency: str | None = None, simplify_debts: bool = True
) -> Member:
    """Create a group; the creator is its first member. Returns the creator's membership."""
    name = clean_name(name, what=_("a group name"))
    code = clean_currency(currency) if currency is not None else user.default_currency
    if code not in EXPONENTS:  # a stale profile value must not make an unusable group
        code = "IDR"
    group = Group.objects.create(
        name=name, currency=code, simplify_debts=simplify_debts, created_by=user
    )
    me = Member.objects.create(group=group, user=user, name=user.name or user.email)
    activity_record(
        by=me,
        verb="group.created",
        target_type="group",
        target_id=group.pk,
        summary=f"{me.name} created the group {group.name}",
        changes={"name": name, "currency": code, "simplify_debts": simplify_debts},
    )
    return me


# For the activity summary: "Ayu changed the group name, the currency".
_LABELS = {
    "name": "the group name",
    "currency": "the currency",
    "simplify_debts": "debt simplifying",
}


def _settings(group: Group) -> dict[str, Any]:
    return {"name": group.name, "currency": group.currency, "simplify_debts": group.simplify_debts}


@write_transaction
def group_update(
    *,
    me: Member,
    name: str | None = None,
    currency: str | None = None,
    simplify_debts: bool | None = None,
) -> Member:
    """Apply a PATCH: each setting given (None: unchanged).

    The currency can change only while the group has no bill or payment (409 `currency_locked`
    after): amounts are stored in it. Under the group lock, which every bill and payment write
    takes before reading the currency, so a bill racing the change is either committed first
    (and the change refused) or computed in the new currency."""
    group = lock_group(group_id=me.group_id)
    before = _settings(group)
    if name is not None:
        group.name = clean_name(name, what=_("a group name"))
    if currency is not None:
        code = clean_currency(currency)
        if code != group.currency:
            if contents.any_in(group_id=group.pk):
                raise Conflict(
                    _(
                        "The currency can't change once the group has bills or payments: their "
                        "amounts are stored in the group currency."
                    ),
                    code="currency_locked",
                )
            group.currency = code
    if simplify_debts is not None:
        group.simplify_debts = simplify_debts
    changes = diff(before, _settings(group))
    if changes:
        group.save(update_fields=["name", "currency", "simplify_debts", "updated_at"])
        activity_record(
            by=me,
            verb="group.updated",
            target_type="group",
            target_id=group.pk,
            summary=f"{me.name} changed {', '.join(_LABELS[k] for k in changes)}",
            changes=changes,
        )
    me.group = group
    return me


def _manages(*, me: Member, group: Group) -> bool:
    """Whether `me` holds the creator's role (see the module docstring)."""
    if group.created_by_id is None:
        return True
    if group.created_by_id == me.user_id:
        return True
    creator_active = Member.objects.filter(
        group_id=group.pk, user_id=group.created_by_id, is_active=True
    ).exists()
    return not creator_active


@write_transaction
def group_delete(*, me: Member) -> None:
    """Only by the creator (or anyone once the creator is no longer a member), and only when
    every balance is zero."""
    group = lock_group(group_id=me.group_id)
    if not _manages(me=me, group=group):
        raise PermissionDenied(_("Only the person who created the group can delete it."))
    # Under the group lock no bill or payment can slip in between the check and the delete.
    unsettled = list(
        Member.objects.filter(group_id=group.pk).order_by("pk").values_list("name", "paid", "owed")
    )
    names = [name for name, paid, owed in unsettled if paid != owed]
    if names:
        raise Conflict(
            _("Settle up first: these members still have a non-zero balance: {names}.").format(
                names=", ".join(names)
            ),
            code="group_not_settled",
            details={"members": names},
        )
    _delete_group_rows(group)


def _delete_group_rows(group: Group) -> None:
    """Bills' and payments' rows protect their members from deletion (history must never lose
    a member), so a whole group goes leaves first: what the apps built on groups keep in it
    (groups.contents: payments, then bills), then the group (members, invites and activity
    cascade)."""
    contents.delete_all(group_id=group.pk)
    group.delete()


# --- members -----------------------------------------------------------------------------------


def _member_added_summary(me: Member, member: Member) -> str:
    kind = "guest " if member.user_id is None else ""
    return f"{me.name} added {kind}{member.name}"


def _find_user(*, email: str | None, username: str | None) -> User:
    if email is not None:
        user = User.objects.filter(email=normalize_email(email), is_active=True).first()
        if user is None:
            raise field_error(
                "email", _("No Paytungan account uses this email."), code="user_not_found"
            )
        return user
    assert username is not None
    user = User.objects.filter(username=username.strip().lower(), is_active=True).first()
    if user is None:
        raise field_error(
            "username", _("No Paytungan account has this username."), code="user_not_found"
        )
    return user


@write_transaction
def member_add(
    *, me: Member, name: str | None = None, email: str | None = None, username: str | None = None
) -> Member:
    """Add a guest (`name`) or an existing user (`email` or `username`): exactly one of them."""
    given = [k for k, v in (("name", name), ("email", email), ("username", username)) if v]
    if len(given) != 1:
        message = _("Give exactly one of: a name (a guest), an email or a username (a user).")
        raise Invalid(message, fields={k: [message] for k in given or ["name"]})
    group_id = me.group_id
    lock_group(group_id=group_id)
    if name:
        guest_name = clean_name(name)
        _check_name_free(group_id=group_id, name=guest_name)
        member = Member.objects.create(group_id=group_id, user=None, name=guest_name)
    else:
        user = _find_user(email=email, username=username)
        existing = Member.objects.filter(group_id=group_id, user=user).first()
        if existing is not None and existing.is_active:
            raise Conflict(
                _("{name} is already a member.").format(name=existing.name), code="already_member"
            )
        if existing is not None:
            # A removed member comes back as the same row: their history stays theirs.
            existing.is_active = True
            existing.left_at = None
            existing.save(update_fields=["is_active", "left_at"])
            member = existing
        else:
            try:
                with transaction.atomic():
                    member = Member.objects.create(
                        group_id=group_id, user=user, name=user.name or user.email
                    )
            except IntegrityError:  # added concurrently by someone else
                raise Conflict(
                    _("This person is already a member."), code="already_member"
                ) from None
    activity_record(
        by=me,
        verb="member.added",
        target_type="member",
        target_id=member.pk,
        summary=_member_added_summary(me, member),
        changes={"name": member.name, "user_id": member.user_id},
    )
    return member


@write_transaction
def member_rename(*, me: Member, member_id: int, name: str) -> Member:
    """Rename a member's display name in this group. For a user member only this group's name
    changes; their profile name stays as it is."""
    lock_group(group_id=me.group_id)
    member = _active_member(group_id=me.group_id, member_id=member_id)
    new_name = clean_name(name)
    if new_name == member.name:
        return member
    _check_name_free(group_id=me.group_id, name=new_name, exclude_id=member.pk)
    old_name = member.name
    member.name = new_name
    member.save(update_fields=["name"])
    if member.pk == me.pk:
        me.name = new_name
    activity_record(
        by=me,
        verb="member.renamed",
        target_type="member",
        target_id=member.pk,
        summary=f"{me.name} renamed {old_name} to {new_name}",
        changes=diff({"name": old_name}, {"name": new_name}),
    )
    return member


def _active_member(*, group_id: int, member_id: int) -> Member:
    """Read under the group lock: every write that changes a member takes it first."""
    member = Member.objects.filter(group_id=group_id, pk=member_id, is_active=True).first()
    if member is None:
        raise NotFound(_("No such member in this group."), code="member_not_found")
    return member


def _check_can_go(member: Member, *, own: bool) -> None:
    """A member leaves only settled, and only when nothing the apps built on groups keep stands
    in the way (groups.contents: no payment waiting for confirmation, which confirmed later
    would move the balance of someone no longer in the group)."""
    if member.paid != member.owed:
        raise Conflict(
            _("You still have a non-zero balance; settle up first.")
            if own
            else _("{name} still has a non-zero balance; settle up first.").format(
                name=member.name
            ),
            code="balance_not_zero",
        )
    contents.check_can_go(member, own=own)


def _deactivate(member: Member) -> None:
    member.is_active = False
    member.left_at = timezone.now()
    member.save(update_fields=["is_active", "left_at"])


@write_transaction
def member_remove(*, me: Member, member_id: int) -> None:
    """Soft: the row stays (bills and payments keep naming it), inactive from now on. Anyone
    may remove a guest; a member with an account only the creator may remove (403
    `not_group_admin`), and nobody else may remove the creator."""
    if member_id == me.pk:
        member_leave(me=me)
        return
    group = lock_group(group_id=me.group_id)
    member = _active_member(group_id=me.group_id, member_id=member_id)
    if member.user_id is not None:
        if group.created_by_id is not None and member.user_id == group.created_by_id:
            raise PermissionDenied(
                _("The group's creator can't be removed; they can leave themselves."),
                code="not_group_admin",
            )
        if not _manages(me=me, group=group):
            raise PermissionDenied(
                _(
                    "Only the group's creator can remove a member with an account; anyone can "
                    "remove a guest, and anyone can leave."
                ),
                code="not_group_admin",
            )
    _check_can_go(member, own=False)
    _deactivate(member)
    activity_record(
        by=me,
        verb="member.removed",
        target_type="member",
        target_id=member.pk,
        summary=f"{me.name} removed {member.name}",
    )


@write_transaction
def member_leave(*, me: Member) -> None:
    lock_group(group_id=me.group_id)
    member = _active_member(group_id=me.group_id, member_id=me.pk)
    _check_can_go(member, own=True)
    others = Member.objects.filter(
        group_id=me.group_id, is_active=True, user__isnull=False
    ).exclude(pk=me.pk)
    if not others.exists():
        raise Conflict(
            _(
                "You're the last member with an account: nobody could reach this group after "
                "you leave. Delete the group instead."
            ),
            code="last_member",
        )
    _deactivate(member)
    activity_record(
        by=me,
        verb="member.left",
        target_type="member",
        target_id=me.pk,
        summary=f"{me.name} left the group",
    )
