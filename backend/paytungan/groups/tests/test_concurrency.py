"""Races on PostgreSQL: threads with their own connections hitting the same rows at once."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.common.testing import ApiClient, make_user, run_together
from paytungan.groups.models import Activity, Invite, Member
from paytungan.groups.testing import make_group

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user: Any) -> ApiClient:
    client = ApiClient().login(user)
    client.csrf()
    return client


def test_two_people_claiming_the_same_guest_at_once_one_wins() -> None:
    owner = make_user(name="Ayu")
    group, m = make_group(owner=owner, guests=("Citra",))
    Invite.objects.create(group=group, code="race-claim")
    a, b = make_user(name="A"), make_user(name="B")
    body = {"claim_member_id": m["Citra"].pk}
    ca, cb = _client(a), _client(b)
    results = run_together(
        [
            lambda: ca.post("/api/invites/race-claim/accept", body),
            lambda: cb.post("/api/invites/race-claim/accept", body),
        ]
    )
    assert sorted(r.status for r in results) == [200, 409]
    citra = Member.objects.get(pk=m["Citra"].pk)
    assert citra.user in (a, b)
    assert Member.objects.filter(group=group).count() == 2
    assert Activity.objects.filter(verb="member.claimed").count() == 1


def test_the_same_user_accepting_twice_at_once_gets_one_membership() -> None:
    owner = make_user(name="Ayu")
    group, _ = make_group(owner=owner)
    Invite.objects.create(group=group, code="race-join")
    joiner = make_user(name="Dewi")
    c1, c2 = _client(joiner), _client(joiner)
    results = run_together(
        [
            lambda: c1.post("/api/invites/race-join/accept", {}),
            lambda: c2.post("/api/invites/race-join/accept", {}),
        ]
    )
    assert [r.status for r in results] == [200, 200]
    assert results[0].json == results[1].json
    assert Member.objects.filter(group=group, user=joiner).count() == 1
