from __future__ import annotations

import json
from typing import Any

from paytungan.accounts.models import User
from paytungan.groups.testing import make_group


def _pay(client: Any, group: Any, frm: Any, to: Any, amount: str) -> dict[str, Any]:
    body = {"from_member_id": frm.pk, "to_member_id": to.pk, "amount": amount, "currency": "IDR"}
    r = client.post(f"/api/groups/{group.pk}/payments", body)
    assert r.status == 201, r
    return r.json


def test_my_data_export_lists_payments_i_recorded_sent_or_received(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    recorded = _pay(client_for(user), group, m[budi], m[citra], "1000")
    sent = _pay(client_for(citra), group, m[user], m[citra], "2000")
    received = _pay(client_for(budi), group, m[budi], m[user], "3000")
    _pay(client_for(budi), group, m[budi], m[citra], "4000")  # nothing to do with Ayu
    other, om = make_group(owner=budi, users=(citra,))
    _pay(client_for(budi), other, om[citra], om[budi], "5000")

    r = client_for(user).client.get("/api/me/export")
    assert r.status_code == 200
    payments = json.loads(r.content)["payments"]
    assert [p["id"] for p in payments] == [recorded["id"], sent["id"], received["id"]]
    first = payments[0]
    assert first["group_name"] == "Trip"
    assert first["from_member"] == {"id": m[budi].pk, "name": "Budi"}
    assert first["amount"] == "1000"
    assert first["recorded_by_me"] is True
    assert payments[1]["recorded_by_me"] is False
