"""Only members see or touch anything in a group: every route of this app, walked as a
non-member (and as nobody), with valid and invalid input."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.groups.models import Member
from paytungan.payments.models import Payment


def _routes(gid: int, pid: int, frm: int, to: int) -> list[tuple[str, str, Any]]:
    valid = {"from_member_id": frm, "to_member_id": to, "amount": "1000", "currency": "IDR"}
    return [
        ("GET", f"/api/groups/{gid}/payments", None),
        ("GET", f"/api/groups/{gid}/payments?status=bogus&limit=0&cursor=x", None),
        ("POST", f"/api/groups/{gid}/payments", valid),
        ("POST", f"/api/groups/{gid}/payments", {"amount": 5, "colour": "red"}),
        ("POST", f"/api/groups/{gid}/payments", [1, 2, 3]),
        ("GET", f"/api/groups/{gid}/payments/{pid}", None),
        ("POST", f"/api/groups/{gid}/payments/{pid}/confirm", None),
        ("POST", f"/api/groups/{gid}/payments/{pid}/reject", None),
        ("DELETE", f"/api/groups/{gid}/payments/{pid}", None),
        ("GET", f"/api/groups/{gid}/balances", None),
        ("GET", f"/api/groups/{gid}/settle", None),
        ("GET", f"/api/groups/{gid}/export", None),
        ("GET", f"/api/groups/{gid}/export?format=csv", None),
        ("GET", f"/api/groups/{gid}/export?format=xml", None),
    ]


@pytest.fixture
def pending(user: User, budi: User, citra: User, trip: Any, client_for: Any) -> dict[str, Any]:
    group, m = trip
    r = client_for(user).post(
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": m[budi].pk,
            "to_member_id": m[citra].pk,
            "amount": "5",
            "currency": "IDR",
        },
    )
    assert r.status == 201
    return r.json


def test_every_route_is_404_for_a_non_member_even_with_invalid_input(
    trip: Any, pending: dict[str, Any], outsider_client: Any
) -> None:
    group, _ = trip
    for method, path, body in _routes(
        group.pk, pending["id"], pending["from_member_id"], pending["to_member_id"]
    ):
        r = outsider_client.request(method, path, body)
        assert r.status == 404, (method, path, r)
        assert r.json["error"]["code"] == "group_not_found", (method, path, r)
    assert Payment.objects.get(pk=pending["id"]).status == "pending"
    assert Payment.objects.count() == 1


def test_a_member_who_left_is_a_non_member(
    user: User, budi: User, trip: Any, pending: dict[str, Any], client_for: Any
) -> None:
    group, m = trip
    Member.objects.filter(pk=m[budi].pk).update(is_active=False)
    for method, path, body in _routes(
        group.pk, pending["id"], pending["from_member_id"], pending["to_member_id"]
    ):
        r = client_for(budi).request(method, path, body)
        assert r.status == 404, (method, path, r)


def test_a_group_that_does_not_exist_is_404(user: User, client_for: Any) -> None:
    for method, path, body in _routes(999_999_999, 1, 1, 2):
        r = client_for(user).request(method, path, body)
        assert r.status == 404, (method, path, r)


def test_every_route_needs_a_login(api: Any, trip: Any, pending: dict[str, Any]) -> None:
    group, _ = trip
    for method, path, body in _routes(group.pk, pending["id"], 1, 2):
        r = api.request(method, path, body)
        assert r.status == 401, (method, path, r)
