"""GET /api/groups/{gid}/bills: newest first by (date, id), filters, cursor pagination."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills.testing import bills_url, equal_bill, exact_bill

from .conftest import Trip


def _create(trip: Trip, body: dict[str, Any]) -> int:
    response = trip.client.post(bills_url(trip.group), body)
    assert response.status == 201, response
    return response.json["id"]


def _ids(trip: Trip, query: str = "") -> list[int]:
    response = trip.client.get(bills_url(trip.group) + query)
    assert response.status == 200, response
    return [item["id"] for item in response.json["items"]]


def test_list_rows_carry_what_the_bills_page_shows(trip: Trip) -> None:
    bill_id = _create(
        trip,
        exact_bill(
            payer=trip.budi,
            amounts={trip.ayu: "12.50", trip.budi: "7.50"},
            total="20.00",
            currency="USD",
            exchange_rate="16000",
            category="food",
            date="2026-03-01",
        ),
    )
    (item,) = trip.client.get(bills_url(trip.group)).json["items"]
    assert item == {
        "id": bill_id,
        "title": "Belanja",
        "date": "2026-03-01",
        "category": "food",
        "split_mode": "exact",
        "currency": "USD",
        "total": "320000",
        "original_total": "20.00",
        "payers": [{"member_id": trip.budi.pk, "amount": "320000"}],
        "my_share": "200000",
        "created_at": item["created_at"],
    }


def test_my_share_is_zero_when_the_caller_is_not_on_the_bill(trip: Trip) -> None:
    _create(trip, equal_bill(payer=trip.budi, members=[trip.citra], total="100"))
    assert trip.client.get(bills_url(trip.group)).json["items"][0]["my_share"] == "0"


def test_newest_first_by_date_then_id_across_pages(trip: Trip) -> None:
    dates = ["2026-01-05", "2026-01-07", "2026-01-05", "2026-01-06", "2026-01-07"]
    ids = [
        _create(trip, equal_bill(payer=trip.ayu, members=[trip.budi], total="10", date=d))
        for d in dates
    ]
    expected = [ids[4], ids[1], ids[3], ids[2], ids[0]]
    seen: list[int] = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = trip.client.get(bills_url(trip.group) + query).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_filters(trip: Trip) -> None:
    a = _create(
        trip,
        equal_bill(
            payer=trip.ayu,
            members=[trip.budi],
            total="10",
            date="2026-01-01",
            category="food",
            title="Sate Padang",
        ),
    )
    b = _create(
        trip,
        equal_bill(
            payer=trip.citra,
            members=[trip.citra],
            total="10",
            date="2026-02-01",
            category="transport",
            title="Grab",
            notes="ke bandara, sate di jalan",
        ),
    )
    c = _create(
        trip,
        equal_bill(
            payer=trip.budi, members=[trip.ayu], total="10", date="2026-03-01", title="Hotel"
        ),
    )
    assert _ids(trip, "?from=2026-02-01") == [c, b]
    assert _ids(trip, "?to=2026-02-01") == [b, a]
    assert _ids(trip, "?from=2026-01-15&to=2026-02-15") == [b]
    assert _ids(trip, f"?member_id={trip.budi.pk}") == [c, a]  # paid c, share in a
    assert _ids(trip, f"?member_id={trip.citra.pk}") == [b]
    assert _ids(trip, "?category=transport") == [b]
    assert _ids(trip, "?q=SATE") == [b, a]  # title or notes, case-insensitive
    assert _ids(trip, "?q=sate&category=food") == [a]
    assert _ids(trip, "?member_id=999999") == []


@pytest.mark.parametrize(
    "query",
    [
        "?cursor=not-a-cursor",
        "?limit=0",
        "?limit=201",
        "?category=travel",
        "?from=yesterday",
        "?member_id=abc",
        "?q=%00",
    ],
)
def test_bad_list_parameters_are_422(trip: Trip, query: str) -> None:
    response = trip.client.get(bills_url(trip.group) + query)
    assert response.status == 422, response
    assert response.json["error"]["details"]["fields"]
