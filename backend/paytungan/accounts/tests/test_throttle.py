"""Database-backed rate limits: login per account and per IP, registration and the general API
limit. Time is frozen inside a window so a test never straddles a window boundary."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from paytungan.accounts import throttle
from paytungan.accounts.models import ThrottleCounter
from paytungan.accounts.throttle import Limit
from paytungan.accounts.tokens import token_create
from paytungan.common.errors import Throttled
from paytungan.common.testing import DEFAULT_PASSWORD, ApiClient, assert_error_shape, make_user

from .conftest import NOW


def wrong_login(
    client: ApiClient, email: str, *, ip: str | None = None, forwarded: str | None = None
):
    return client.post(
        "/api/auth/login",
        {"email": email, "password": "wrong-password-0"},
        headers={"X-Forwarded-For": forwarded} if forwarded is not None else None,
        remote_addr=ip,
    )


# --- login ---------------------------------------------------------------------------------------
def test_twenty_wrong_passwords_are_401s_then_429_with_retry_after(api, user, frozen_time):
    statuses = [wrong_login(api, user.email).status for _ in range(20)]
    assert statuses == [401] * 10 + [429] * 10

    response = wrong_login(api, user.email)
    error = assert_error_shape(response, 429, "throttled")
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 900
    assert error["details"]["retry_after"] == retry_after


def test_a_throttled_account_refuses_even_the_right_password_from_that_address(
    api, user, frozen_time
):
    for _ in range(10):
        wrong_login(api, user.email)
    response = api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert_error_shape(response, 429, "throttled")


def test_the_account_limit_resets_in_the_next_window(api, user, frozen_time):
    for _ in range(11):
        wrong_login(api, user.email)
    frozen_time.now = NOW + 900 + 1
    response = api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status == 200


def test_the_account_limit_at_one_address_holds_across_instances(make_client, user, frozen_time):
    # Two clients with their own sessions stand in for two app instances: the count is in the
    # database, so it is shared.
    first, second = make_client(), make_client()
    for _ in range(5):
        assert wrong_login(first, user.email, ip="10.0.0.1").status == 401
    for _ in range(5):
        assert wrong_login(second, user.email, ip="10.0.0.1").status == 401
    assert wrong_login(first, user.email, ip="10.0.0.1").status == 429
    assert wrong_login(second, user.email.upper(), ip="10.0.0.1").status == 429


def test_failures_for_one_account_do_not_lock_another(api, frozen_time):
    victim, bystander = make_user(), make_user()
    for _ in range(12):
        wrong_login(api, victim.email)
    response = api.post("/api/auth/login", {"email": bystander.email, "password": DEFAULT_PASSWORD})
    assert response.status == 200


@override_settings(LOGIN_ATTEMPTS_PER_IP=5)
def test_login_attempts_are_limited_per_ip(make_client, frozen_time):
    users = [make_user() for _ in range(7)]
    client = make_client()
    statuses = [wrong_login(client, u.email, ip="10.1.1.1").status for u in users]
    assert statuses == [401] * 5 + [429] * 2
    # Another address is not affected.
    assert wrong_login(make_client(), users[0].email, ip="10.1.1.2").status == 401


@override_settings(LOGIN_ATTEMPTS_PER_IP=3, NUM_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_is_limited(make_client, frozen_time):
    target = make_user()
    client = make_client()
    for _ in range(3):
        assert wrong_login(client, target.email, forwarded="1.2.3.4").status == 401
    assert wrong_login(client, target.email, forwarded="1.2.3.4").status == 429
    # A forged left-hand entry does not give the caller a fresh bucket.
    forged = "9.9.9.9, 1.2.3.4"
    assert wrong_login(client, target.email, forwarded=forged).status == 429
    assert wrong_login(client, target.email, forwarded="5.6.7.8").status == 401


def test_login_with_a_very_long_email_is_throttled_not_a_500(api, frozen_time):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".com"
    assert len(email) > 200
    statuses = {wrong_login(api, email).status for _ in range(11)}
    assert statuses == {401, 429}


@override_settings(THROTTLE_ENABLED=False)
def test_throttling_can_be_switched_off(api, user):
    assert {wrong_login(api, user.email).status for _ in range(15)} == {401}
    assert not ThrottleCounter.objects.exists()


# --- registration and password reset ------------------------------------------------------------
def test_registration_is_limited_per_ip(api, frozen_time):
    statuses = []
    for n in range(21):
        body = {"email": f"new{n}@example.com", "password": "kopi-susu-gula-aren-77", "name": "N"}
        statuses.append(api.post("/api/auth/register", body).status)
        api.post("/api/auth/logout")
    assert statuses == [201] * 20 + [429]


def test_password_reset_requests_are_limited_per_account(api, user, frozen_time):
    statuses = [
        api.post("/api/auth/password-reset", {"email": user.email}).status for _ in range(6)
    ]
    assert statuses == [202] * 5 + [429]


# --- the general per-user API limit -------------------------------------------------------------
@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_api_requests_are_limited_per_user(make_client, user, frozen_time):
    client = make_client(user)
    assert [client.get("/api/me").status for _ in range(3)] == [200] * 3
    response = client.get("/api/me")
    error = assert_error_shape(response, 429, "throttled")
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert error["details"]["retry_after"] == int(response.headers["Retry-After"])
    # Session and Bearer requests of the same user share the budget...
    _, secret = token_create(user=user, name="cli")
    assert make_client().with_token(secret).get("/api/me").status == 429
    # ...another user has their own, and the next minute starts afresh.
    assert make_client(make_user()).get("/api/me").status == 200
    frozen_time.now = NOW + 61
    assert client.get("/api/me").status == 200


def test_the_default_api_limit_is_generous(settings):
    assert settings.API_REQUESTS_PER_MINUTE >= 300


# --- the counter itself --------------------------------------------------------------------------
def test_hit_counts_per_key_and_window(db):
    limit = Limit("k", 3, 60)
    assert [throttle.hit(limit, now=NOW) for _ in range(3)] == [1, 2, 3]
    assert throttle.count(limit, now=NOW + 59) == 3
    assert throttle.count(limit, now=NOW + 60) == 0
    assert throttle.hit(limit, now=NOW + 60) == 1
    assert throttle.hit(Limit("other", 3, 60), now=NOW) == 1


def test_check_raises_throttled_with_the_time_left_in_the_window(db, frozen_time):
    limit = Limit("k", 2, 60)
    throttle.check(limit)
    throttle.check(limit)
    with pytest.raises(Throttled) as exc:
        throttle.check(limit)
    assert exc.value.retry_after == 55


def test_long_keys_are_stored_as_a_bounded_digest(db):
    long_a = Limit("login:account:" + "a" * 300, 5, 60)
    long_b = Limit("login:account:" + "a" * 299 + "b", 5, 60)
    assert throttle.hit(long_a, now=NOW) == 1
    assert throttle.hit(long_a, now=NOW) == 2
    assert throttle.hit(long_b, now=NOW) == 1
    assert all(len(k) <= 200 for k in ThrottleCounter.objects.values_list("key", flat=True))
    assert throttle.storage_key("short") == "short"


def test_prune_removes_only_expired_windows(db):
    throttle.hit(Limit("old", 5, 60), now=NOW - 120)
    throttle.hit(Limit("current", 5, 60), now=NOW)
    assert throttle.prune(now=NOW + 1) == 1
    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["current"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "127.0.0.9"),  # no proxy trusted: the header is ignored
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client forged the left entry
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.1", "1.1.1.1"),
        (2, "1.1.1.1", "127.0.0.9"),  # fewer entries than proxies: fall back
        (1, "", "127.0.0.9"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


# --- the general API limit: counted in memory, written in batches -------------------------------
def test_the_api_counter_writes_once_per_batch(db, frozen_time, queries):
    counter = throttle.LocalCounter(batch_divisor=10)
    limit = Limit("api:user:batch", 100, 60)  # batch of 10
    with queries() as q:
        for _ in range(25):
            counter.check(limit)
    assert q.count == 2  # after the 10th and the 20th request
    assert throttle.count(limit) == 20


def test_two_instances_share_the_api_limit_within_the_documented_bound(db, frozen_time):
    # Two counters are two app instances: they meet only in the database row.
    first, second = throttle.LocalCounter(batch_divisor=10), throttle.LocalCounter(batch_divisor=10)
    limit = Limit("api:user:shared", 100, 60)
    admitted = 0
    for _ in range(200):
        for counter in (first, second):
            try:
                counter.check(limit)
                admitted += 1
            except Throttled:
                pass
    # limit + instances x (batch - 1), never each instance's full limit
    assert 100 <= admitted <= 100 + 2 * 9
    # and once refused, a client costs no writes
    stored = throttle.count(limit)
    for _ in range(50):
        with pytest.raises(Throttled):
            first.check(limit)
    assert throttle.count(limit) == stored


def test_a_small_api_limit_is_exact_across_instances(db, frozen_time):
    first, second = throttle.LocalCounter(), throttle.LocalCounter()
    limit = Limit("api:user:small", 5, 60)  # batch of 1: every request is written
    results = []
    for _ in range(5):
        for counter in (first, second):
            try:
                counter.check(limit)
                results.append(True)
            except Throttled:
                results.append(False)
    assert results.count(True) == 5
