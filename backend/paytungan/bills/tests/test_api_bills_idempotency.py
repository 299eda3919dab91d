"""POST /bills honours Idempotency-Key."""

from __future__ import annotations

from paytungan.bills.models import Bill
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.groups.models import Activity

from .conftest import Trip


def test_a_retry_returns_the_first_response_and_creates_nothing(trip: Trip) -> None:
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="50000")
    headers = {"Idempotency-Key": "retry-me"}
    first = trip.client.post(bills_url(trip.group), body, headers=headers)
    again = trip.client.post(bills_url(trip.group), body, headers=headers)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert Bill.objects.count() == 1
    assert Activity.objects.count() == 1
    assert trip.balances()[trip.budi.pk] == -25000


def test_the_same_key_with_another_body_is_422(trip: Trip) -> None:
    headers = {"Idempotency-Key": "k-2"}
    body = equal_bill(payer=trip.ayu, members=[trip.budi], total="1000")
    assert trip.client.post(bills_url(trip.group), body, headers=headers).status == 201
    other = equal_bill(payer=trip.ayu, members=[trip.budi], total="2000")
    response = trip.client.post(bills_url(trip.group), other, headers=headers)
    assert response.status == 422
    assert response.json["error"]["code"] == "idempotency_key_reused"
    assert Bill.objects.count() == 1


def test_an_invalid_bill_does_not_burn_the_key(trip: Trip) -> None:
    headers = {"Idempotency-Key": "k-3"}
    bad = equal_bill(payer=trip.ayu, members=[trip.budi], total="1e3")
    assert trip.client.post(bills_url(trip.group), bad, headers=headers).status == 422
    good = equal_bill(payer=trip.ayu, members=[trip.budi], total="1000")
    assert trip.client.post(bills_url(trip.group), good, headers=headers).status == 201


def test_without_a_key_each_post_creates_a_bill(trip: Trip) -> None:
    body = equal_bill(payer=trip.ayu, members=[trip.budi], total="1000")
    trip.client.post(bills_url(trip.group), body)
    trip.client.post(bills_url(trip.group), body)
    assert Bill.objects.count() == 2
