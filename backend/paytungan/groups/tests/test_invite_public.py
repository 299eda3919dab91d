"""GET /api/invites/{code}/public: group and inviter for a logged-out visitor, 404 otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import assert_error_shape
from paytungan.groups.models import Member


def _code(client: Any, group: Any) -> str:
    r = client.post(f"/api/groups/{group.pk}/invites", {})
    assert r.status == 201, r
    return str(r.json["code"])


def test_a_logged_out_visitor_sees_the_group_and_who_invited_them(
    trip: Any, budi: User, make_client: Any, queries: Any
) -> None:
    group, m = trip
    code = _code(make_client(budi), group)
    anonymous = make_client()
    anonymous.get(f"/api/invites/{code}/public")
    with queries() as q:
        r = anonymous.get(f"/api/invites/{code}/public")
    assert r.status == 200
    assert r.json["group_name"] == group.name
    assert r.json["inviter_name"] == "Budi"
    assert r.json["member_count"] == 3  # Ayu, Budi, guest Citra
    assert r.json["expires_at"] is not None
    assert set(r.json) == {"group_name", "inviter_name", "member_count", "expires_at"}
    assert q.count == 1
    # An inviter who left is not named.
    Member.objects.filter(pk=m[budi].pk).update(is_active=False)
    assert anonymous.get(f"/api/invites/{code}/public").json["inviter_name"] is None


def test_unknown_or_revoked_codes_are_404(trip: Any, user_client: Any, make_client: Any) -> None:
    group, _ = trip
    anonymous = make_client()
    assert_error_shape(
        anonymous.get("/api/invites/not-a-real-code/public"), 404, "invite_not_found"
    )
    code = _code(user_client, group)
    assert user_client.delete(f"/api/groups/{group.pk}/invites/{code}").status == 204
    assert_error_shape(anonymous.get(f"/api/invites/{code}/public"), 404, "invite_not_found")


@pytest.mark.parametrize("code", ["%00", "a%00b", "x" * 65, "%E2%80%AE", "a.b", "%20"])
def test_a_code_that_cannot_be_one_is_404_on_every_invite_route(
    trip: Any, user_client: Any, make_client: Any, code: str
) -> None:
    # A NUL byte used to reach PostgreSQL, which refused the query: a 422 and a Sentry event per
    # request, from the public preview without logging in.
    group, _ = trip
    for r in (
        make_client().get(f"/api/invites/{code}/public"),
        user_client.get(f"/api/invites/{code}"),
        user_client.post(f"/api/invites/{code}/accept", {}),
        user_client.delete(f"/api/groups/{group.pk}/invites/{code}"),
    ):
        assert_error_shape(r, 404, "invite_not_found")
