"""Query counts per bills endpoint: fixed, whatever the number of bills (docs/benchmarks.md,
"Queries per bill write")."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from paytungan.bills.testing import bills_url, equal_bill
from paytungan.common.testing import ApiClient, make_user
from paytungan.groups.testing import make_group

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
    # caller with membership (one query) and the session; the savepoint the service takes
    # inside this test's transaction and its release; the one statement: the group lock,
    # every row and the balance UPDATE
    assert first == 5


@pytest.mark.django_db(transaction=True)
def test_create_query_count_outside_a_transaction(trip: Trip, queries: Any) -> None:
    """As in production: the one statement is the transaction, no BEGIN, COMMIT or savepoint
    (issue 13: 16 queries at first, then 6)."""
    _seed(trip, 1)
    with queries() as counter:
        assert trip.client.post(bills_url(trip.group), dinner(trip)).status == 201
    sql = [q["sql"] for q in counter.captured_queries]
    # session, caller with membership, the statement
    assert len(sql) == 3, sql
    assert sql[2].startswith('WITH g AS (SELECT "id" FROM "groups_group"'), sql[2]
    assert sql[2].count("FOR NO KEY UPDATE") == 1, sql[2]
    assert sql[2].count('UPDATE "groups_member" AS m') == 1, sql[2]
    assert not any(q in ("BEGIN", "COMMIT") or "SAVEPOINT" in q for q in sql), sql


@pytest.mark.django_db(transaction=True)
def test_create_sql_text_is_the_same_for_any_bill(trip: Trip) -> None:
    """The rows go as arrays, so psycopg parses the statement once, whatever the bill."""
    texts: list[str] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        texts.append(sql)  # before the parameters are bound
        return execute(sql, params, many, context)

    for body in (
        dinner(trip),
        equal_bill(payer=trip.ayu, members=[trip.ayu], total="1000"),  # no debts at all
        equal_bill(payer=trip.budi, members=[trip.ayu, trip.budi, trip.citra], total="3000"),
    ):
        with connection.execute_wrapper(keep):
            assert trip.client.post(bills_url(trip.group), body).status == 201
    writes = {sql for sql in texts if sql.startswith("WITH g AS")}
    assert len(writes) == 1, writes


def _four(user: Any) -> tuple[Any, list[Any], Any]:
    budi = make_user(name="Budi")
    group, m = make_group(owner=user, users=(budi,), guests=("Citra", "Dewi"))
    client = ApiClient().login(user)
    client.csrf()
    return group, [m[user], m[budi], m["Citra"], m["Dewi"]], client


def _writes(group: Any, members: list[Any], client: Any, queries: Any) -> dict[str, list[str]]:
    """The SQL of each write to an existing bill of 4 members, in order."""
    body = equal_bill(payer=members[0], members=members, total="100000")
    bill = client.post(bills_url(group), body).json
    url = bills_url(group, bill["id"])
    edit = equal_bill(payer=members[1], members=members[:3], total="90000", version=1)
    out: dict[str, list[str]] = {}
    for name, call, status in (
        ("edit", lambda: client.put(url, edit), 200),
        ("stale", lambda: client.put(url, edit), 409),
        ("delete", lambda: client.delete(url), 200),
        ("restore", lambda: client.post(url + "/restore"), 200),
    ):
        with queries() as counter:
            assert call().status == status, name
        out[name] = [q["sql"] for q in counter.captured_queries]
    return out


def test_edit_delete_restore_query_counts(user: Any, queries: Any) -> None:
    """Inside the test's transaction the handler's block is a savepoint pair. Edit: session,
    caller with membership, savepoint, the group and bill lock, the old rows (deleted and
    returned) with the bill's payment status, every new row and the balance UPDATE, release.
    A stale version stops after the lock (then the savepoint is rolled back and released).
    Delete and restore read the rows instead of deleting them."""
    sql = _writes(*_four(user), queries)
    assert {name: len(qs) for name, qs in sql.items()} == {
        "edit": 7,
        "stale": 6,
        "delete": 7,
        "restore": 7,
    }, sql


@pytest.mark.django_db(transaction=True)
def test_edit_delete_restore_query_counts_outside_a_transaction(user: Any, queries: Any) -> None:
    """As in production (issue 13: edit 19, delete and restore 15 queries at first, then 8)."""
    sql = _writes(*_four(user), queries)
    for name in ("edit", "delete", "restore"):
        qs = sql[name]
        assert len(qs) == 7, (name, qs)
        # the payment status is read with the rows, under the lock: nothing after COMMIT
        assert '"payments_payment"' in qs[4], qs[4]
        assert (qs[2], qs[6]) == ("BEGIN", "COMMIT"), (name, qs)
        # one lock statement: the group, then the bill through it
        assert qs[3].startswith('WITH g AS (SELECT * FROM "groups_group"'), qs[3]
        assert qs[3].count("FOR NO KEY UPDATE") == 2, qs[3]
        assert not any("FOR NO KEY UPDATE" in q for q in qs[4:]), (name, qs)
        # the balances in one set-based UPDATE, last in the one write statement
        assert sum('UPDATE "groups_member"' in q for q in qs) == 1, (name, qs)
        assert 'UPDATE "groups_member" AS m' in qs[5], qs[5]
        assert "FROM (VALUES" in qs[5], qs[5]
        assert not any("SAVEPOINT" in q for q in qs), (name, qs)
    assert len(sql["stale"]) == 5, sql["stale"]
    assert sql["stale"][-1] == "ROLLBACK", sql["stale"]
