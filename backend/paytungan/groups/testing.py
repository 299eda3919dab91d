"""Test factory: a group with its members, in a handful of queries.

Shared by the groups, bills and payments tests (keep the signature stable):

    group, m = make_group(owner=ayu, guests=("Budi",), users=(citra,))
    m[ayu], m["Budi"], m[citra]   # Member rows; the owner is always a member

Rows are written directly (no service, no activity) so tests that count queries or activity
entries start from a clean slate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paytungan.accounts.models import User
from paytungan.groups.models import Group, Member


def make_group(
    *,
    owner: User,
    name: str = "Trip",
    currency: str = "IDR",
    guests: Iterable[str] = (),
    users: Iterable[User] = (),
    simplify_debts: bool = True,
) -> tuple[Group, dict[str | User, Member]]:
    group = Group.objects.create(
        name=name, currency=currency, simplify_debts=simplify_debts, created_by=owner
    )
    members: dict[str | User, Member] = {}
    # Creation order gives ascending ids: owner, then users, then guests.
    members[owner] = Member.objects.create(group=group, user=owner, name=owner.name or owner.email)
    for u in users:
        if u == owner:
            continue
        members[u] = Member.objects.create(group=group, user=u, name=u.name or u.email)
    for guest in guests:
        members[guest] = Member.objects.create(group=group, user=None, name=guest)
    return group, members


def group_queries(counter: Any) -> int:
    """How many of a QueryCounter's queries touched this app's tables: the session, user and
    throttle lookups every request makes are left out, so a test can pin an endpoint's own."""
    return sum('"groups_' in q["sql"] for q in counter.captured_queries)
