"""The lock order and modes every write uses (groups.locks), and the retry on deadlock."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from paytungan.accounts.models import User
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.common.testing import ApiClient, QueryCounter, make_user
from paytungan.groups.locks import write_transaction
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group

LOCK = re.compile(r"FOR (NO KEY )?UPDATE|FOR SHARE|FOR KEY SHARE")


def _locks(counter: QueryCounter) -> list[str]:
    """(table, mode) of every explicit lock, in order."""
    out = []
    for q in counter.captured_queries:
        match = LOCK.search(q["sql"])
        if match:
            table = re.search(r'FROM "(\w+)"', q["sql"])
            out.append(f"{table.group(1) if table else '?'} {match.group(0)}")
    return out


def test_every_bill_and_payment_write_locks_the_group_first_and_only_no_key(
    user: User, budi: User
) -> None:
    group, m = make_group(owner=user, users=(budi,), guests=("Citra",))
    client = ApiClient().login(user)
    client.csrf()
    calls: list[Any] = []
    body = equal_bill(payer=m[user], members=[m[user], m[budi]], total="1000")
    with QueryCounter() as create:
        bill = client.post(bills_url(group), body).json
    calls.append(create)
    with QueryCounter() as edit:
        client.put(bills_url(group, bill["id"]), {**body, "version": 1})
    calls.append(edit)
    with QueryCounter() as delete:
        client.delete(bills_url(group, bill["id"]))
    calls.append(delete)
    with QueryCounter() as pay:
        client.post(
            f"/api/groups/{group.pk}/payments",
            {
                "from_member_id": m[user].pk,
                "to_member_id": m["Citra"].pk,
                "amount": "5",
                "currency": "IDR",
            },
        )
    calls.append(pay)
    with QueryCounter() as patch:
        client.patch(f"/api/groups/{group.pk}", {"name": "Renamed"})
    calls.append(patch)
    for counter in calls:
        locks = _locks(counter)
        assert locks, "a write took no lock"
        assert locks[0] == "groups_group FOR NO KEY UPDATE", locks
        assert all("NO KEY" in lock for lock in locks), locks
        assert not any(lock.startswith("groups_member") for lock in locks), locks


def test_bill_create_service_queries(user: User, budi: User) -> None:
    """One statement (decision 0027): the group lock first, every other part selecting from
    the locked row (the bill, its payers, shares and debts, the activity, the pair rows, the
    balance UPDATE whose row count proves the members active), plus the savepoint pair that
    the service takes inside the test's transaction."""
    group, m = make_group(owner=user, users=(budi,))
    client = ApiClient().login(user)
    client.csrf()
    body = equal_bill(payer=m[user], members=[m[user], m[budi]], total="1000")
    client.post(bills_url(group), body)
    with QueryCounter() as counter:
        assert client.post(bills_url(group), body).status == 201
    own = [
        q["sql"]
        for q in counter.captured_queries
        if any(
            t in q["sql"]
            for t in (
                '"bills_',
                "payments_pairdebt",
                'groups_group" WHERE',
                '"groups_activity"',
                'UPDATE "groups_member"',
            )
        )
    ]
    assert len(own) == 1, own
    assert own[0].startswith('WITH g AS (SELECT "id" FROM "groups_group"'), own[0]
    assert own[0].count("FOR NO KEY UPDATE") == 1, own[0]
    assert 'UPDATE "groups_member"' in own[0], own[0]


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_transaction_is_retried_whole() -> None:
    owner = make_user(name="A")
    _, m = make_group(owner=owner, guests=("B",))
    first, second = m[owner].pk, m["B"].pk
    barrier = threading.Barrier(2)
    attempts: list[str] = []
    errors: list[BaseException] = []

    @write_transaction
    def lock_both(name: str, a: int, b: int) -> None:
        attempts.append(name)
        Member.objects.filter(pk=a).update(name=f"{name}1")
        if len(attempts) <= 2:
            barrier.wait(timeout=10)  # both hold one row: opposite orders deadlock
        Member.objects.filter(pk=b).update(name=f"{name}2")

    def run(name: str, a: int, b: int) -> None:
        try:
            lock_both(name, a, b)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("x", first, second)),
        threading.Thread(target=run, args=("y", second, first)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(attempts) == 3  # one of the two was chosen as the victim and ran again
    assert not transaction.get_connection().in_atomic_block
