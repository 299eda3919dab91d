"""Only members see or touch a group's bills: everyone else gets 404, even with a bad body."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills.models import Bill
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.common.testing import ApiClient, make_user
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group

from .conftest import Trip


def _routes(trip: Trip, bill_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", bills_url(trip.group)),
        ("POST", bills_url(trip.group)),
        ("POST", bills_url(trip.group, suffix="/preview")),
        ("GET", bills_url(trip.group, bill_id)),
        ("PUT", bills_url(trip.group, bill_id)),
        ("DELETE", bills_url(trip.group, bill_id)),
        ("POST", bills_url(trip.group, bill_id, "/restore")),
    ]


@pytest.fixture
def bill_id(trip: Trip) -> int:
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="1000")
    return trip.client.post(bills_url(trip.group), body).json["id"]


@pytest.mark.parametrize("body", [{}, {"title": 5, "payers": "x"}, "valid"])
def test_a_non_member_gets_404_on_every_bills_route(
    trip: Trip, bill_id: int, make_client: Any, body: Any
) -> None:
    outsider: ApiClient = make_client(make_user(name="Eko"))
    valid = equal_bill(payer=trip.ayu, members=[trip.ayu], total="1", version=1)
    for method, url in _routes(trip, bill_id):
        payload = valid if body == "valid" else body
        response = outsider.request(method, url, payload if method in ("POST", "PUT") else None)
        assert response.status == 404, (method, url, response)
        assert response.json["error"]["code"] == "group_not_found"
    assert Bill.objects.get().deleted_at is None
    assert Bill.objects.get().version == 1


def test_a_member_who_left_gets_404(trip: Trip, bill_id: int, make_client: Any) -> None:
    Member.objects.filter(pk=trip.budi.pk).update(is_active=False, paid=0, owed=0)
    budi = make_client(trip.budi_user)
    for method, url in _routes(trip, bill_id):
        response = budi.request(method, url, {} if method in ("POST", "PUT") else None)
        assert response.status == 404, (method, url, response)


def test_a_bill_of_another_group_is_404_through_this_group(
    trip: Trip, bill_id: int, user: Any
) -> None:
    other, m = make_group(owner=user, name="Other")
    for method, url in _routes(trip, bill_id)[3:]:
        url = url.replace(f"/groups/{trip.group.pk}/", f"/groups/{other.pk}/")
        body = equal_bill(payer=m[user], members=[m[user]], total="1", version=1)
        response = trip.client.request(method, url, body if method in ("POST", "PUT") else None)
        assert response.status == 404, (method, url, response)
        assert response.json["error"]["code"] == "bill_not_found"


def test_unknown_bill_and_group_ids_are_404(trip: Trip) -> None:
    assert trip.client.get(bills_url(trip.group, 987654321)).status == 404
    assert trip.client.get(bills_url(987654321)).status == 404
    huge = "9" * 30
    assert trip.client.get(f"/api/groups/{huge}/bills/{huge}").status == 404
    assert trip.client.get(f"/api/groups/{trip.group.pk}/bills/{huge}").status == 404


def test_anonymous_requests_are_401(api: ApiClient, trip: Trip, bill_id: int) -> None:
    for method, url in _routes(trip, bill_id):
        response = api.request(method, url, {} if method in ("POST", "PUT") else None)
        assert response.status in (401, 403), (method, url, response)
        assert response.status == 401 or response.json["error"]["code"] == "csrf_failed"
    assert api.get(bills_url(trip.group)).status == 401


def test_any_member_may_edit_and_delete_a_bill(trip: Trip, bill_id: int, make_client: Any) -> None:
    budi = make_client(trip.budi_user)
    body = equal_bill(payer=trip.budi, members=[trip.ayu], total="2000", version=1)
    assert budi.put(bills_url(trip.group, bill_id), body).status == 200
    assert budi.delete(bills_url(trip.group, bill_id)).status == 200
