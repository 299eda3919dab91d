"""Login lock-out (docs/decisions/0008-login-lockout.md): counted before the password is
checked, so parallel guesses can't exceed the limit; and a stranger who knows an email can't
lock its owner out of an address or a browser the owner uses."""

from __future__ import annotations

from functools import partial

import pytest
from django.test import override_settings

from paytungan.accounts.lockout import DEVICE_COOKIE
from paytungan.common.testing import DEFAULT_PASSWORD, ApiClient, Response, make_user, run_together

from .test_throttle import wrong_login

WRONG = "wrong-password-0"


def right_login(client: ApiClient, email: str, *, ip: str | None = None) -> Response:
    return client.post(
        "/api/auth/login", {"email": email, "password": DEFAULT_PASSWORD}, remote_addr=ip
    )


def _clients(n: int) -> list[ApiClient]:
    clients = [ApiClient() for _ in range(n)]
    for c in clients:
        c.csrf()
    return clients


# --- parallel attackers on a real PostgreSQL -----------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_check_at_most_ten() -> None:
    victim = make_user()
    clients = _clients(40)
    results = run_together(
        [partial(wrong_login, c, victim.email, ip="203.0.113.7") for c in clients]
    )
    statuses = sorted(r.status for r in results)
    assert statuses.count(401) == 10, statuses  # checked against the password
    assert statuses.count(429) == 30, statuses
    # The owner, from their own address, is not locked out by it.
    assert right_login(ApiClient(), victim.email, ip="198.51.100.1").status == 200


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURES_PER_ACCOUNT_TOTAL=20)
def test_parallel_guesses_from_many_addresses_stop_at_the_account_ceiling() -> None:
    victim = make_user()
    # The owner logged in from this browser before (it has the known-device cookie).
    owner = ApiClient()
    assert right_login(owner, victim.email, ip="198.51.100.1").status == 200
    assert DEVICE_COOKIE in owner.client.cookies
    owner.post("/api/auth/logout")

    clients = _clients(40)
    calls = [
        partial(wrong_login, c, victim.email, ip=f"203.0.113.{i}") for i, c in enumerate(clients)
    ]
    statuses = sorted(r.status for r in run_together(calls))
    assert statuses.count(401) == 20, statuses
    assert statuses.count(429) == 20, statuses

    # A new browser at a new address is refused now (the account is under attack)...
    assert right_login(ApiClient(), victim.email, ip="192.0.2.50").status == 429
    # ...but the owner's known browser still gets in, from any address.
    assert right_login(owner, victim.email, ip="192.0.2.51").status == 200


# --- the lock-out rules, one request at a time ---------------------------------------------------
def test_an_attacker_at_one_address_does_not_lock_the_owner_out_elsewhere(
    make_client, user, frozen_time
):
    attacker = make_client()
    for _ in range(12):
        wrong_login(attacker, user.email, ip="203.0.113.9")
    assert wrong_login(attacker, user.email, ip="203.0.113.9").status == 429
    # Not even the right password helps the attacker's address...
    assert right_login(attacker, user.email, ip="203.0.113.9").status == 429
    # ...while the owner logs in from theirs.
    assert right_login(make_client(), user.email, ip="198.51.100.2").status == 200


def test_a_known_device_gets_in_even_from_the_attackers_address(make_client, user, frozen_time):
    owner = make_client()
    assert right_login(owner, user.email, ip="203.0.113.9").status == 200
    owner.post("/api/auth/logout")
    attacker = make_client()
    for _ in range(12):
        wrong_login(attacker, user.email, ip="203.0.113.9")
    assert right_login(make_client(), user.email, ip="203.0.113.9").status == 429
    assert right_login(owner, user.email, ip="203.0.113.9").status == 200


def test_the_device_cookie_is_bound_to_the_account(make_client, frozen_time):
    owner, other = make_user(), make_user()
    browser = make_client()
    assert right_login(browser, other.email, ip="203.0.113.9").status == 200
    browser.post("/api/auth/logout")
    for _ in range(10):
        wrong_login(make_client(), owner.email, ip="203.0.113.9")
    # A cookie from logging in to *another* account is no pass for this one.
    assert right_login(browser, owner.email, ip="203.0.113.9").status == 429


def test_a_forged_device_cookie_is_ignored(make_client, user, frozen_time):
    for _ in range(10):
        wrong_login(make_client(), user.email, ip="203.0.113.9")
    forger = make_client()
    forger.client.cookies[DEVICE_COOKIE] = "eyJkIjoieCIsImEiOltdfQ:forged:signature"
    assert right_login(forger, user.email, ip="203.0.113.9").status == 429


def test_a_known_device_has_its_own_failure_budget(make_client, user, frozen_time):
    owner = make_client()
    assert right_login(owner, user.email).status == 200
    owner.post("/api/auth/logout")
    statuses = [wrong_login(owner, user.email).status for _ in range(11)]
    assert statuses == [401] * 10 + [429]


def test_right_passwords_are_not_counted_as_failures(make_client, user, frozen_time):
    client = make_client()
    for _ in range(9):
        assert wrong_login(client, user.email, ip="10.9.9.9").status == 401
    for _ in range(5):
        fresh = make_client()  # no device cookie: the per-address budget applies
        assert right_login(fresh, user.email, ip="10.9.9.9").status == 200
    assert wrong_login(client, user.email, ip="10.9.9.9").status == 401
    assert wrong_login(client, user.email, ip="10.9.9.9").status == 429
