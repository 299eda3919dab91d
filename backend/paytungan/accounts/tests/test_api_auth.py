"""Registration, login, logout, CSRF and password change through the HTTP API."""

from __future__ import annotations

import pytest

from paytungan.accounts.models import AccessToken, User
from paytungan.common.testing import DEFAULT_PASSWORD, ApiClient, make_user
from paytungan.common.testing import assert_error_shape as assert_error

STRONG = "kopi-susu-gula-aren-77"


def register(api: ApiClient, **overrides: str):
    body = {"email": "Sari@Example.COM", "password": STRONG, "name": "Sari"} | overrides
    return api.post("/api/auth/register", body)


# --- the whole journey ---------------------------------------------------------------------------
def test_csrf_register_login_me_token_bearer_revoke_then_401(api):
    csrf = api.get("/api/auth/csrf")
    assert csrf.status == 200
    assert csrf.json["csrf_token"]
    assert "csrftoken" in csrf.raw.cookies

    registered = register(api)
    assert registered.status == 201
    assert registered.json["email"] == "sari@example.com"

    api.post("/api/auth/logout")
    assert api.get("/api/me").status == 401

    login = api.post("/api/auth/login", {"email": "sari@example.com", "password": STRONG})
    assert login.status == 200
    assert login.json["name"] == "Sari"
    me = api.get("/api/me")
    assert me.status == 200
    assert me.json["id"] == registered.json["id"]

    created = api.post("/api/auth/tokens", {"name": "cli"})
    assert created.status == 201
    secret = created.json["token"]

    bearer = ApiClient().with_token(secret)
    assert bearer.get("/api/me").json["email"] == "sari@example.com"
    # Bearer requests need no CSRF token, even for writes.
    assert bearer.patch("/api/me", {"name": "Sari W."}).status == 200

    assert api.delete(f"/api/auth/tokens/{created.json['id']}").status == 204
    error = assert_error(bearer.get("/api/me"), 401, "not_authenticated")
    assert "revoked" in error["message"]


def test_session_post_without_csrf_token_is_403_in_the_error_shape(user_client):
    response = user_client.post("/api/auth/tokens", {"name": "x"}, csrf=False)
    error = assert_error(response, 403, "csrf_failed")
    assert "X-CSRFToken" in error["message"]
    assert not AccessToken.objects.exists()


def test_session_post_with_a_wrong_csrf_token_is_403(user_client):
    user_client.csrf()
    response = user_client.post(
        "/api/auth/tokens", {"name": "x"}, headers={"X-CSRFToken": "x" * 32}
    )
    assert_error(response, 403, "csrf_failed")


def test_register_and_login_require_csrf(api):
    response = api.post(
        "/api/auth/register",
        {"email": "a@example.com", "password": STRONG, "name": "A"},
        csrf=False,
    )
    assert_error(response, 403, "csrf_failed")
    assert not User.objects.exists()
    make_user(email="b@example.com")
    response = api.post(
        "/api/auth/login", {"email": "b@example.com", "password": DEFAULT_PASSWORD}, csrf=False
    )
    assert_error(response, 403, "csrf_failed")


def test_safe_methods_need_no_csrf(user_client):
    assert user_client.get("/api/me").status == 200


def test_login_rotates_the_csrf_token_and_a_fresh_one_works(api, user):
    stale = api.csrf()
    api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    response = api.post("/api/auth/tokens", {"name": "x"}, headers={"X-CSRFToken": stale})
    assert_error(response, 403, "csrf_failed")
    assert api.post("/api/auth/tokens", {"name": "x"}).status == 201  # refetches the token


# --- register ------------------------------------------------------------------------------------
def test_register_logs_the_new_user_in(api):
    assert register(api).status == 201
    assert api.get("/api/me").json["email"] == "sari@example.com"


def test_register_normalises_the_email(api):
    response = register(api, email="  Sari.Wulandari@Example.COM ")
    assert response.json["email"] == "sari.wulandari@example.com"
    assert User.objects.get().email == "sari.wulandari@example.com"


def test_register_stores_an_argon2_hash_never_the_password(api):
    register(api)
    stored = User.objects.get().password
    assert stored.startswith("argon2$argon2id$")
    assert STRONG not in stored


def test_register_rejects_a_bad_email(api):
    error = assert_error(register(api, email="not-an-email"), 422)
    assert list(error["details"]["fields"]) == ["email"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    [
        "short1",  # too short
        "password123",  # common
        "1234567890123",  # numeric
        "sari@example.com",  # like the email
    ],
)
def test_register_rejects_a_weak_password_with_field_errors(api, password):
    error = assert_error(register(api, password=password), 422)
    assert error["details"]["fields"]["password"]
    assert all(isinstance(m, str) for m in error["details"]["fields"]["password"])
    assert not User.objects.exists()


def test_register_rejects_a_duplicate_email_case_insensitively(api):
    make_user(email="sari@example.com")
    error = assert_error(register(api, email="SARI@example.com"), 422, "email_taken")
    assert "email" in error["details"]["fields"]
    assert User.objects.count() == 1


def test_register_rejects_a_blank_name(api):
    error = assert_error(register(api, name="   "), 422)
    assert "name" in error["details"]["fields"]


def test_register_rejects_missing_fields_with_each_one_named(api):
    error = assert_error(api.post("/api/auth/register", {"email": "a@example.com"}), 422)
    assert set(error["details"]["fields"]) == {"password", "name"}


def test_register_rejects_an_email_that_normalises_beyond_the_column(api):
    # 'İ'.lower() is two code points: valid at 254 characters, too long once lower-cased.
    label = "İ" * 60
    email = "a@" + ".".join([label] * 4)[:248] + ".id"
    assert len(email) <= 254
    error = assert_error(register(api, email=email), 422)
    assert "email" in error["details"]["fields"]


def test_register_rejects_a_name_with_a_nul_character(api):
    error = assert_error(register(api, name="Sa\u0000ri"), 422)
    assert "name" in error["details"]["fields"]
    assert not User.objects.exists()


# --- login / logout ------------------------------------------------------------------------------
def test_login_is_case_insensitive_on_the_email(api):
    make_user(email="budi@example.com")
    response = api.post(
        "/api/auth/login", {"email": " BUDI@Example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status == 200


def test_login_with_a_wrong_password_is_401(api, user):
    response = api.post("/api/auth/login", {"email": user.email, "password": "wrong-password-1"})
    assert_error(response, 401, "invalid_credentials")
    assert api.get("/api/me").status == 401


def test_login_with_an_unknown_email_is_the_same_401(api):
    response = api.post("/api/auth/login", {"email": "nobody@example.com", "password": "x"})
    assert_error(response, 401, "invalid_credentials")


def test_login_of_a_deactivated_user_is_401(api):
    inactive = make_user(is_active=False)
    response = api.post("/api/auth/login", {"email": inactive.email, "password": DEFAULT_PASSWORD})
    assert_error(response, 401)


def test_logout_ends_the_session(user_client):
    assert user_client.post("/api/auth/logout").json == {"ok": True}
    assert_error(user_client.get("/api/me"), 401, "not_authenticated")


def test_anonymous_requests_to_protected_routes_are_401(api):
    for path in ("/api/me", "/api/auth/tokens", "/api/me/export"):
        assert_error(api.get(path), 401, "not_authenticated")


def test_malformed_authorization_header_is_401(api):
    response = api.get("/api/me", headers={"Authorization": "Token abc"})
    assert_error(response, 401, "not_authenticated")


# --- password change -----------------------------------------------------------------------------
def test_password_change_keeps_this_session_and_signs_out_the_others(make_client, user):
    mine, other = make_client(user), make_client(user)
    response = mine.post(
        "/api/auth/password", {"current_password": DEFAULT_PASSWORD, "new_password": STRONG}
    )
    assert response.json == {"ok": True}
    assert mine.get("/api/me").status == 200
    assert other.get("/api/me").status == 401
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_password_change_then_login_with_the_new_password(make_client, user):
    make_client(user).post(
        "/api/auth/password", {"current_password": DEFAULT_PASSWORD, "new_password": STRONG}
    )
    api = make_client()
    bad = api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert bad.status == 401
    good = api.post("/api/auth/login", {"email": user.email, "password": STRONG})
    assert good.status == 200


def test_password_change_needs_the_current_password(user_client, user):
    response = user_client.post(
        "/api/auth/password", {"current_password": "not-it-at-all", "new_password": STRONG}
    )
    error = assert_error(response, 422)
    assert "current_password" in error["details"]["fields"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_rejects_a_weak_new_password(user_client):
    response = user_client.post(
        "/api/auth/password", {"current_password": DEFAULT_PASSWORD, "new_password": "123"}
    )
    error = assert_error(response, 422)
    assert error["details"]["fields"]["new_password"]


def test_password_change_by_bearer_token_starts_no_session(make_client, user):
    from paytungan.accounts.tokens import token_create

    _, secret = token_create(user=user, name="cli")
    bearer = make_client().with_token(secret)
    response = bearer.post(
        "/api/auth/password", {"current_password": DEFAULT_PASSWORD, "new_password": STRONG}
    )
    assert response.status == 200
    assert "sessionid" not in response.raw.cookies
