"""Every group-scoped route of this app, walked as a non-member: always the same 404, with a
valid body or an invalid one, and nothing changes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from paytungan.groups.api import router
from paytungan.groups.models import Activity, Group, Invite, Member


def _routes() -> list[tuple[str, str]]:
    routes = []
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            for method in operation.methods:
                if "{int:gid}" in path:
                    routes.append((method, path))
    return sorted(routes)


ROUTES = _routes()
BODIES = [None, {}, {"name": "Valid Name"}, {"bogus": [1, 2]}, {"name": 5, "currency": []}]


def test_the_walk_covers_the_routes_of_the_contract() -> None:
    paths = {p for _, p in ROUTES}
    assert {
        "/{int:gid}",
        "/{int:gid}/members",
        "/{int:gid}/members/{int:mid}",
        "/{int:gid}/leave",
        "/{int:gid}/invites",
        "/{int:gid}/invites/{code}",
        "/{int:gid}/activity",
    } <= paths
    assert len(ROUTES) >= 12


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("body", BODIES, ids=["none", "empty", "valid", "unknown", "wrong_types"])
def test_non_member_gets_404_on_every_group_route(
    outsider_client: Any, trip: Any, method: str, path: str, body: Any
) -> None:
    group, m = trip
    invite = Invite.objects.create(group=group, code="the-code")
    url = "/api/groups" + re.sub(
        r"\{(?:int:)?(\w+)\}",
        lambda match: {"gid": str(group.pk), "mid": str(m["Citra"].pk), "code": invite.code}[
            match.group(1)
        ],
        path,
    )
    before = (Member.objects.filter(is_active=True).count(), Activity.objects.count())
    if body is None and method != "GET":
        r = outsider_client.request(method, url, raw="")  # an empty JSON body
    else:
        r = outsider_client.request(method, url, body if method != "GET" else None)
    assert r.status == 404, (method, url, body, r)
    assert r.json["error"]["code"] == "group_not_found"
    assert (Member.objects.filter(is_active=True).count(), Activity.objects.count()) == before
    assert Group.objects.filter(pk=group.pk, name="Trip").exists()
    assert Invite.objects.get(pk=invite.pk).revoked_at is None


def test_non_member_gets_404_for_a_query_that_would_be_invalid(
    outsider_client: Any, trip: Any
) -> None:
    group, _ = trip
    r = outsider_client.get(f"/api/groups/{group.pk}/members?include_inactive=notabool")
    assert r.status == 404
