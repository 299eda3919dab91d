from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.groups.activity import activity_record
from paytungan.groups.models import Activity
from paytungan.groups.testing import group_queries


def _url(group: Any) -> str:
    return f"/api/groups/{group.pk}/activity"


def test_activity_lists_what_happened_newest_first(user_client: Any, user: User) -> None:
    group_id = user_client.post("/api/groups", {"name": "Trip"}).json["id"]
    user_client.patch(f"/api/groups/{group_id}", {"name": "Bali"})
    guest = user_client.post(f"/api/groups/{group_id}/members", {"name": "Citra"}).json
    user_client.patch(f"/api/groups/{group_id}/members/{guest['id']}", {"name": "Cici"})
    user_client.delete(f"/api/groups/{group_id}/members/{guest['id']}")
    code = user_client.post(f"/api/groups/{group_id}/invites", {}).json["code"]
    user_client.delete(f"/api/groups/{group_id}/invites/{code}")

    r = user_client.get(f"/api/groups/{group_id}/activity")
    assert r.status == 200
    assert r.json["next_cursor"] is None
    items = r.json["items"]
    assert [a["verb"] for a in items] == [
        "invite.revoked",
        "invite.created",
        "member.removed",
        "member.renamed",
        "member.added",
        "group.updated",
        "group.created",
    ]
    renamed = items[3]
    me_id = user_client.get(f"/api/groups/{group_id}").json["my_member_id"]
    assert renamed["actor_name"] == "Ayu"
    assert renamed["actor_member_id"] == me_id
    assert (renamed["target_type"], renamed["target_id"]) == ("member", guest["id"])
    assert renamed["changes"] == {"name": {"from": "Citra", "to": "Cici"}}
    assert renamed["summary"] == "Ayu renamed Citra to Cici"
    assert renamed["created_at"]
    assert items[5]["changes"] == {"name": {"from": "Trip", "to": "Bali"}}


def test_activity_is_cursor_paginated_by_id(user_client: Any, trip: Any, user: User) -> None:
    group, members = trip
    ids = [
        activity_record(
            by=members[user],
            verb="bill.created",
            target_type="bill",
            target_id=i,
            summary=f"bill {i}",
        ).pk
        for i in range(5)
    ]
    page1 = user_client.get(_url(group) + "?limit=3").json
    page2 = user_client.get(_url(group) + f"?limit=3&cursor={page1['next_cursor']}").json
    assert [a["id"] for a in page1["items"] + page2["items"]] == ids[::-1]
    assert page2["next_cursor"] is None
    # No actor member: the user's name stands in.
    assert page1["items"][0]["actor_name"] == "Ayu"
    assert page1["items"][0]["actor_member_id"] == members[user].pk


def test_activity_keeps_the_actor_after_their_account_is_deleted(
    client_for: Any, user_client: Any, trip: Any, budi: User
) -> None:
    group, _ = trip
    client_for(budi).post(f"/api/groups/{group.pk}/members", {"name": "Dewi"})
    client_for(budi).delete("/api/me")
    item = user_client.get(_url(group)).json["items"][0]
    assert item["actor_name"] == "Budi"
    assert item["actor_member_id"] is not None


@pytest.mark.parametrize("query", ["cursor=%%%", "cursor=WzEsMl0", "limit=0", "limit=500"])
def test_activity_rejects_a_bad_cursor_or_limit(user_client: Any, trip: Any, query: str) -> None:
    group, _ = trip
    r = user_client.get(_url(group) + "?" + query)
    assert r.status == 422


def test_activity_is_404_for_a_non_member(outsider_client: Any, trip: Any) -> None:
    group, _ = trip
    assert outsider_client.get(_url(group)).status == 404
    assert outsider_client.get(_url(group) + "?limit=0").status == 404


def test_activity_query_count_is_constant_in_rows(
    user_client: Any, trip: Any, user: User, queries: Any
) -> None:
    group, m = trip

    def add(n: int) -> None:
        for i in range(n):
            activity_record(
                by=m[user] if i % 2 else m["Citra"],
                verb="x",
                target_type="t",
                target_id=i,
                summary="s",
            )

    add(1)
    with queries() as q1:
        user_client.get(_url(group))
    add(20)
    with queries() as q2:
        assert len(user_client.get(_url(group)).json["items"]) == 21
    assert q1.count == q2.count
    assert group_queries(q2) == 2  # the access check, then the page with its actors
    assert Activity.objects.count() == 21
