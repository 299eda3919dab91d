"""Concurrent bill writes on PostgreSQL: no double counting, no deadlock, one edit wins.

Each thread has its own database connection (Django's are per thread) and closes it at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pytest

from paytungan.bills.models import Bill
from paytungan.bills.testing import bill_balance_oracle, bills_url, equal_bill
from paytungan.common.testing import ApiClient, Response, make_user, run_together
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _run_together(calls: Sequence[Callable[[], Response]]) -> list[Response]:
    results = run_together(calls)
    for result in results:
        assert isinstance(result, Response), result
    return results


def _setup(count: int) -> tuple[Any, list[Member], list[ApiClient]]:
    users = [make_user(name=f"U{i}") for i in range(count)]
    group, m = make_group(owner=users[0], users=users[1:], guests=("Guest",))
    members = [m[u] for u in users] + [m["Guest"]]
    clients = []
    for u in users:
        client = ApiClient().login(u)
        client.csrf()
        clients.append(client)
    return group, members, clients


def _assert_balances_match_oracle(group_id: int) -> None:
    oracle = bill_balance_oracle(group_id=group_id)
    stored = {m.pk: (m.paid, m.owed) for m in Member.objects.filter(group_id=group_id)}
    assert stored == oracle
    assert sum(paid - owed for paid, owed in stored.values()) == 0


def test_simultaneous_creations_in_one_group_all_count_once() -> None:
    group, members, clients = _setup(THREADS)
    calls: list[Callable[[], Response]] = []
    for i, client in enumerate(clients):
        # Overlapping member sets in different orders: the classic deadlock recipe.
        split = members[i:] + members[:i]
        body = equal_bill(payer=members[i], members=list(reversed(split)), total=str(9000 + i))
        calls.append(partial(client.post, bills_url(group), body))
    responses = _run_together(calls)
    assert [r.status for r in responses] == [201] * THREADS, responses
    assert Bill.objects.filter(group=group).count() == THREADS
    _assert_balances_match_oracle(group.pk)


def test_concurrent_edits_of_one_bill_one_wins_the_others_get_409() -> None:
    group, members, clients = _setup(THREADS)
    created = clients[0].post(
        bills_url(group), equal_bill(payer=members[0], members=members, total="80000")
    )
    assert created.status == 201
    url = bills_url(group, created.json["id"])
    calls: list[Callable[[], Response]] = []
    for i, client in enumerate(clients):
        body = equal_bill(
            payer=members[i], members=members[: i + 1], total=str(1000 * (i + 1)), version=1
        )
        calls.append(partial(client.put, url, body))
    responses = _run_together(calls)
    statuses = sorted(r.status for r in responses)
    assert statuses == [200] + [409] * (THREADS - 1), responses
    assert {r.json["error"]["code"] for r in responses if r.status == 409} == {"stale_version"}
    winner = next(r for r in responses if r.status == 200)
    bill = Bill.objects.get()
    assert bill.version == 2
    assert str(bill.total) == winner.json["total"]
    _assert_balances_match_oracle(group.pk)


def test_edits_sending_every_next_version_at_once_apply_in_order_and_stay_exact() -> None:
    """Clients that guess the versions to come (1, 2, 3, ...) all at once: an edit that waited on
    the group lock must see the rows the edit before it wrote, never the ones of its own
    statement's start, or the balances would move by a stale difference."""
    group, members, clients = _setup(THREADS)
    created = clients[0].post(
        bills_url(group), equal_bill(payer=members[0], members=members, total="80000")
    )
    assert created.status == 201
    url = bills_url(group, created.json["id"])
    for _round in range(3):
        start = Bill.objects.get().version
        calls = []
        for i, client in enumerate(clients):
            body = equal_bill(
                payer=members[(i + 1) % len(members)],
                members=members[i % 3 :],
                total=str(1000 * (i + 7)),
                version=start + i,
            )
            calls.append(lambda c=client, b=body: c.put(url, b))
        responses = _run_together(calls)
        assert all(r.status in (200, 409) for r in responses), responses
        ok = sum(r.status == 200 for r in responses)
        assert ok >= 1
        assert Bill.objects.get().version == start + ok
        _assert_balances_match_oracle(group.pk)


def test_concurrent_creates_edits_deletes_and_restores_keep_balances_exact() -> None:
    group, members, clients = _setup(THREADS)
    bills = []
    for i in range(THREADS):
        body = equal_bill(payer=members[i], members=members[i : i + 3], total="6000")
        bills.append(clients[0].post(bills_url(group), body).json)
    for bill in bills[4:6]:
        assert clients[0].delete(bills_url(group, bill["id"])).status == 200
    calls: list[Callable[[], Response]] = []
    for i, client in enumerate(clients):
        bill_url = bills_url(group, bills[i]["id"])
        if i < 2:
            body = equal_bill(payer=members[-1], members=members, total="12345", version=1)
            calls.append(partial(client.put, bill_url, body))
        elif i < 4:
            calls.append(partial(client.delete, bill_url))
        elif i < 6:
            calls.append(partial(client.post, bill_url + "/restore"))
        else:
            body = equal_bill(payer=members[0], members=members[::-1], total="777")
            calls.append(partial(client.post, bills_url(group), body))
    responses = _run_together(calls)
    assert [r.status for r in responses] == [200] * 6 + [201] * (THREADS - 6), responses
    _assert_balances_match_oracle(group.pk)
