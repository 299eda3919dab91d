"""What the apps built on groups keep in a group, so that groups needn't import them.

Bills and payments register their part in their AppConfig.ready (as apps register their part of
the personal-data export in accounts/exporters.py). The group services ask here:

- whether the group holds any of it: then its currency is locked (`any_in`);
- to delete it all with the group (`delete_all`): in the reverse order of registration, so an
  app's rows go before those of the app it builds on (payments before bills: INSTALLED_APPS
  lists bills first, and ready() runs in that order);
- whether a member may leave or be removed (`check_can_go`): e.g. not with a payment waiting.

Every call runs inside the caller's write, under its group lock (groups.locks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from paytungan.groups.models import Member


@dataclass(frozen=True)
class Contents:
    """One app's rows in a group."""

    name: str
    exists: Callable[[int], bool]  # group id -> whether the group has any
    delete: Callable[[int], None]  # group id -> delete them all (the group is being deleted)
    # (member, own) -> raise Conflict if the member may not go now; own: they are leaving
    check_can_go: Callable[[Member, bool], None] | None = None


_registered: dict[str, Contents] = {}


def register(contents: Contents) -> None:
    _registered[contents.name] = contents


def any_in(*, group_id: int) -> bool:
    return any(c.exists(group_id) for c in _registered.values())


def delete_all(*, group_id: int) -> None:
    for contents in reversed(list(_registered.values())):
        contents.delete(group_id)


def check_can_go(member: Member, *, own: bool) -> None:
    for contents in _registered.values():
        if contents.check_can_go is not None:
            contents.check_can_go(member, own)
