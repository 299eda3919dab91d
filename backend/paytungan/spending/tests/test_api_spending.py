"""GET /api/groups/{gid}/spending: month x category and per member, from the bills' shares."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills.testing import bills_url, equal_bill, exact_bill
from paytungan.common.testing import ApiClient, assert_error_shape, make_user

from .conftest import Trip


def _url(trip: Trip, query: str = "") -> str:
    return f"/api/groups/{trip.group.pk}/spending" + (f"?{query}" if query else "")


def _bill(trip: Trip, body: dict[str, Any]) -> int:
    response = trip.client.post(bills_url(trip.group), body)
    assert response.status == 201, response
    return response.json["id"]


@pytest.fixture
def spent(trip: Trip) -> Trip:
    everyone = [trip.ayu, trip.budi, trip.citra]
    # October: dinner 90.000 (30.000 each), paid by Ayu.
    _bill(
        trip,
        equal_bill(
            payer=trip.ayu, members=everyone, total="90000", date="2026-10-05", category="food"
        ),
    )
    # November: taxi 50.000 (Budi 20.000, Citra 30.000) paid by Ayu, groceries 60.000 by Budi.
    _bill(
        trip,
        exact_bill(
            payer=trip.ayu,
            amounts={trip.budi: "20000", trip.citra: "30000"},
            total="50000",
            date="2026-11-02",
            category="transport",
        ),
    )
    _bill(
        trip,
        equal_bill(
            payer=trip.budi,
            members=[trip.ayu, trip.budi],
            total="60000",
            date="2026-11-20",
            category="groceries",
        ),
    )
    # A deleted bill and a payment are not spending.
    gone = _bill(trip, equal_bill(payer=trip.ayu, members=everyone, total="999", date="2026-11-03"))
    assert trip.client.delete(bills_url(trip.group, gone)).status == 200
    payment = {
        "from_member_id": trip.budi.pk,
        "to_member_id": trip.ayu.pk,
        "amount": "10000",
        "currency": "IDR",
    }
    assert trip.client.post(f"/api/groups/{trip.group.pk}/payments", payment).status == 201
    return trip


def test_months_by_category_and_members_by_share(spent: Trip, queries: Any) -> None:
    trip = spent
    with queries() as counter:
        response = trip.client.get(_url(trip, "from=2026-09-15&to=2026-11-30"))
    assert response.status == 200, response
    body = response.json
    # session, user with membership; the one aggregate
    assert counter.count == 3
    assert (body["currency"], body["from"], body["to"], body["total"]) == (
        "IDR",
        "2026-09-15",
        "2026-11-30",
        "200000",
    )
    assert body["months"] == [
        {"month": "2026-09", "total": "0", "categories": []},
        {
            "month": "2026-10",
            "total": "90000",
            "categories": [{"category": "food", "amount": "90000"}],
        },
        {
            "month": "2026-11",
            "total": "110000",
            "categories": [
                {"category": "groceries", "amount": "60000"},
                {"category": "transport", "amount": "50000"},
            ],
        },
    ]
    members = {m["member_id"]: m for m in body["members"]}
    # What each one consumed (their shares), not what they paid: Ayu paid 140.000.
    assert {mid: m["total"] for mid, m in members.items()} == {
        trip.ayu.pk: "60000",
        trip.budi.pk: "80000",
        trip.citra.pk: "60000",
    }
    assert members[trip.citra.pk]["name"] == "Citra"
    assert members[trip.budi.pk]["categories"] == [
        {"category": "food", "amount": "30000"},
        {"category": "groceries", "amount": "30000"},
        {"category": "transport", "amount": "20000"},
    ]
    assert body["members"][0]["member_id"] == trip.budi.pk  # largest first


def test_filtering_by_member_counts_only_their_shares(spent: Trip, queries: Any) -> None:
    trip = spent
    with queries() as counter:
        body = trip.client.get(
            _url(trip, f"from=2026-10-01&to=2026-11-30&member_id={trip.citra.pk}")
        ).json
    assert counter.count == 3
    assert body["member_id"] == trip.citra.pk
    assert body["total"] == "60000"
    assert [m["total"] for m in body["months"]] == ["30000", "30000"]
    assert len(body["members"]) == 3  # the list still shows everyone, to pick another


def test_the_default_range_is_the_last_twelve_months(spent: Trip) -> None:
    body = spent.client.get(_url(spent, "to=2026-11-30")).json
    assert body["from"] == "2025-12-01"
    assert len(body["months"]) == 12
    assert body["months"][-1]["month"] == "2026-11"


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-12-01&to=2026-11-01",
        "from=2020-01-01&to=2026-11-01",
        "from=yesterday",
        "member_id=x",
    ],
)
def test_bad_ranges_are_422(trip: Trip, query: str) -> None:
    assert_error_shape(trip.client.get(_url(trip, query)), 422)


def test_a_non_member_gets_404(trip: Trip, make_client: Any) -> None:
    outsider: ApiClient = make_client(make_user(name="Eko"))
    assert_error_shape(outsider.get(_url(trip)), 404, "group_not_found")
    assert_error_shape(outsider.get(_url(trip, "from=bad")), 404, "group_not_found")


def test_an_empty_group_spends_nothing(trip: Trip) -> None:
    body = trip.client.get(_url(trip, "from=2026-11-01&to=2026-11-30")).json
    assert body["total"] == "0"
    assert body["members"] == []
    assert body["months"] == [{"month": "2026-11", "total": "0", "categories": []}]
