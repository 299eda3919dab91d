from __future__ import annotations

import json
from typing import Any

from paytungan.accounts.models import User
from paytungan.groups.models import Member


def test_my_export_lists_my_memberships_with_group_names(
    user_client: Any, trip: Any, user: User, budi: User, client_for: Any
) -> None:
    group, m = trip
    Member.objects.filter(pk=m[user].pk).update(paid=2500, owed=0)
    r = user_client.get("/api/me/export")
    assert r.status == 200
    data = json.loads(r.raw.content)
    assert data["groups"] == [
        {
            "group_id": group.pk,
            "group_name": "Trip",
            "currency": "IDR",
            "member_id": m[user].pk,
            "name": "Ayu",
            "is_active": True,
            "joined_at": m[user].joined_at.isoformat(),
            "left_at": None,
            "balance": "2500",
            "created_group": True,
        }
    ]
    # Someone else's export holds only their own memberships.
    theirs = json.loads(client_for(budi).get("/api/me/export").raw.content)["groups"]
    assert [(g["member_id"], g["created_group"]) for g in theirs] == [(m[budi].pk, False)]
