"""Simultaneous requests on one group, each thread with its own database connection (real
transactions, real row locks on PostgreSQL): nothing is counted twice and nothing deadlocks."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import ApiClient, make_user, run_together
from paytungan.groups.models import Activity
from paytungan.groups.testing import make_group
from paytungan.payments.models import Payment
from paytungan.payments.testing import balance_oracle
from paytungan.payments.tests.factories import add_bill, balances_of

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user: User) -> ApiClient:
    client = ApiClient().login(user)
    client.csrf()  # fetched up front so every thread only makes its one request
    return client


def _people() -> tuple[User, User, User]:
    return make_user(name="Ayu"), make_user(name="Budi"), make_user(name="Citra")


def test_simultaneous_confirms_count_a_payment_once() -> None:
    ayu, budi, citra = _people()
    group, m = make_group(owner=ayu, users=(budi, citra))
    payment = Payment.objects.create(
        group=group, from_member=m[budi], to_member=m[citra], amount=5000, currency="IDR"
    )
    url = f"/api/groups/{group.pk}/payments/{payment.pk}/confirm"
    clients = [_client(citra) for _ in range(8)]
    results = run_together([partial(c.post, url) for c in clients])
    assert [r.status for r in results] == [200] * 8, results
    assert balances_of(group) == {m[ayu].pk: 0, m[budi].pk: 5000, m[citra].pk: -5000}
    assert balances_of(group) == balance_oracle(group_id=group.pk)
    assert Activity.objects.filter(verb="payment.confirmed").count() == 1


def test_a_confirm_racing_a_reject_leaves_one_decision() -> None:
    ayu, budi, citra = _people()
    group, m = make_group(owner=ayu, users=(budi, citra))
    payment = Payment.objects.create(
        group=group, from_member=m[budi], to_member=m[citra], amount=5000, currency="IDR"
    )
    base = f"/api/groups/{group.pk}/payments/{payment.pk}"
    confirm, reject = _client(citra), _client(citra)
    results = run_together(
        [lambda: confirm.post(f"{base}/confirm"), lambda: reject.post(f"{base}/reject")]
    )
    statuses = sorted(r.status for r in results)
    assert statuses == [200, 409], results
    payment.refresh_from_db()
    moved = 5000 if payment.status == "confirmed" else 0
    assert balances_of(group)[m[budi].pk] == moved
    assert balances_of(group) == balance_oracle(group_id=group.pk)


def test_a_confirm_racing_a_delete_never_leaves_a_ghost_balance() -> None:
    ayu, budi, citra = _people()
    group, m = make_group(owner=ayu, users=(budi, citra))
    payment = Payment.objects.create(
        group=group,
        from_member=m[budi],
        to_member=m[citra],
        amount=5000,
        currency="IDR",
        recorded_by=ayu,
    )
    base = f"/api/groups/{group.pk}/payments/{payment.pk}"
    confirm, delete = _client(citra), _client(ayu)
    results = run_together([lambda: confirm.post(f"{base}/confirm"), lambda: delete.delete(base)])
    assert results[1].status == 204, results
    assert results[0].status in (200, 404), results
    assert not Payment.objects.exists()
    assert set(balances_of(group).values()) == {0}
    assert balances_of(group) == balance_oracle(group_id=group.pk)


def test_simultaneous_payments_and_bills_on_the_same_members_all_count() -> None:
    ayu, budi, citra = _people()
    group, m = make_group(owner=ayu, users=(budi, citra), guests=("Dodi",))
    clients = {u.pk: _client(u) for u in (ayu, budi, citra)}
    url = f"/api/groups/{group.pk}/payments"

    def pay(receiver: User, payer: Any, amount: int) -> Any:
        body = {
            "from_member_id": payer.pk,
            "to_member_id": m[receiver].pk,
            "amount": str(amount),
            "currency": "IDR",
        }
        return clients[receiver.pk].post(url, body)

    def bill(amount: int) -> Any:
        # Bills lock the same member rows (in id order): written directly, as the bills service
        # does, on this thread's own connection.
        return add_bill(
            group,
            paid={m[citra]: amount},
            shares={m[ayu]: amount // 2, m[budi]: amount - amount // 2},
        )

    calls: list[Callable[[], Any]] = []
    for i in range(4):
        calls.append(partial(pay, citra, m[budi], 100 + i))
        calls.append(partial(pay, ayu, m["Dodi"], 10 + i))
        calls.append(partial(pay, budi, m[ayu], 1 + i))
        calls.append(partial(bill, 1000 + i))
    results = run_together(calls)
    errors = [
        r for r in results if isinstance(r, Exception) or (hasattr(r, "status") and r.status != 201)
    ]
    assert errors == []
    assert Payment.objects.filter(status="confirmed").count() == 12
    assert sum(balances_of(group).values()) == 0
    assert balances_of(group) == balance_oracle(group_id=group.pk)
