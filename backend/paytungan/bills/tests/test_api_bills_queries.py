"""Query counts per bills endpoint: fixed, whatever the number of bills."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills.testing import bills_url, equal_bill

from .conftest import Trip
from .test_api_bills_modes import dinner


def _seed(trip: Trip, count: int) -> None:
    for i in range(count):
        payer = [trip.ayu, trip.budi, trip.citra][i % 3]
        body = equal_bill(payer=payer, members=[trip.ayu, trip.budi, trip.citra], total="3000")
        assert trip.client.post(bills_url(trip.group), body).status == 201


def _count(queries: Any, call: Any) -> int:
    with queries() as counter:
        response = call()
    assert response.status in (200, 201), response
    return int(counter.count)


def test_list_query_count_does_not_grow_with_the_bills(trip: Trip, queries: Any) -> None:
    trip.client.get(bills_url(trip.group))  # warm the session
    _seed(trip, 3)
    few = _count(queries, lambda: trip.client.get(bills_url(trip.group)))
    _seed(trip, 27)
    many = _count(queries, lambda: trip.client.get(bills_url(trip.group)))
    assert len(trip.client.get(bills_url(trip.group)).json["items"]) == 30
    filtered = _count(
        queries,
        lambda: trip.client.get(bills_url(trip.group) + f"?member_id={trip.budi.pk}&q=makan"),
    )
    # session, user with membership; the page, its payers, the caller's shares
    assert few == many == filtered == 5


def test_detail_query_count(trip: Trip, queries: Any) -> None:
    bill = trip.client.post(bills_url(trip.group), dinner(trip)).json
    # session, user with membership; bill; payments for status, payers, shares
    assert _count(queries, lambda: trip.client.get(bills_url(trip.group, bill["id"]))) == 6


def test_create_query_count_does_not_grow_with_the_bills(trip: Trip, queries: Any) -> None:
    _seed(trip, 1)
    body = dinner(trip)
    first = _count(queries, lambda: trip.client.post(bills_url(trip.group), body))
    _seed(trip, 10)
    later = _count(queries, lambda: trip.client.post(bills_url(trip.group), body))
    assert first == later
    # caller with membership (one query) and the session; the savepoint the handler's retry
    # block takes inside this test's transaction and its release; the service's 2
    # (groups/tests/test_locks.py): the group lock, then every row and the balance UPDATE
    assert first == 6


@pytest.mark.django_db(transaction=True)
def test_create_query_count_outside_a_transaction(trip: Trip, queries: Any) -> None:
    """As in production, where the handler's block is the transaction: no savepoint at all."""
    _seed(trip, 1)
    with queries() as counter:
        assert trip.client.post(bills_url(trip.group), dinner(trip)).status == 201
    sql = [q["sql"] for q in counter.captured_queries]
    # session, caller with membership, BEGIN, the service's 2, COMMIT
    assert len(sql) == 6, sql
    assert (sql[2], sql[-1]) == ("BEGIN", "COMMIT"), sql
    assert not any("SAVEPOINT" in q for q in sql), sql
