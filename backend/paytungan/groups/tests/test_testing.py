from __future__ import annotations

from paytungan.common.testing import make_user
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group


def test_make_group_creates_owner_users_and_guests_keyed_by_user_or_name(db: None) -> None:
    owner, other = make_user(name="Ayu"), make_user(name="Budi")
    group, m = make_group(
        owner=owner, name="Bali", currency="USD", users=(other,), guests=("Cici",)
    )
    assert (group.name, group.currency, group.created_by) == ("Bali", "USD", owner)
    assert m[owner].user == owner
    assert m[owner].name == "Ayu"
    assert m[other].user == other
    assert m["Cici"].user is None
    assert m["Cici"].name == "Cici"
    assert [x.pk for x in m.values()] == sorted(x.pk for x in m.values())
    assert Member.objects.filter(group=group).count() == 3
