"""Bad input anywhere under /api/ gets a clear 4xx in the documented error shape: never a 500,
never a stack trace."""

from __future__ import annotations

import json

import pytest
from django.db import DataError
from django.test import override_settings

from paytungan.accounts.models import AccessToken, User
from paytungan.common.testing import ApiClient, Response, assert_error_shape

# (method, path, a valid body) for endpoints that take a JSON body, anonymous or logged in.
ANONYMOUS = [
    ("POST", "/api/auth/register", {"email": "a@example.com", "password": "x", "name": "A"}),
    ("POST", "/api/auth/login", {"email": "a@example.com", "password": "x"}),
    ("POST", "/api/auth/password-reset", {"email": "a@example.com"}),
    ("POST", "/api/auth/password-reset/confirm", {"token": "x", "password": "x"}),
]
LOGGED_IN = [
    ("PATCH", "/api/me", {"name": "A"}),
    ("POST", "/api/auth/tokens", {"name": "cli"}),
    ("POST", "/api/auth/password", {"current_password": "x", "new_password": "y"}),
]
ENDPOINTS = [(*e, False) for e in ANONYMOUS] + [(*e, True) for e in LOGGED_IN]
IDS = [f"{m} {p}" for m, p, _, _ in ENDPOINTS]


@pytest.fixture
def client_for(api, user_client):
    return lambda logged_in: user_client if logged_in else api


def assert_clean(response: Response, status: int, code: str | None = None) -> dict:
    error = assert_error_shape(response, status, code)
    body = response.raw.content.decode()
    assert "Traceback" not in body
    assert 'File "' not in body
    assert "site-packages" not in body
    return error


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_malformed_json_is_400(client_for, method, path, body, logged_in):
    client = client_for(logged_in)
    for raw in ('{"email": ', "{'single': 'quotes'}", '{"a": NaN}', b"\xff\xfe{}", "[" * 100_000):
        response = client.request(method, path, raw=raw)
        error = assert_clean(response, 400, "invalid_json")
        assert "JSON" in error["message"] or "nested" in error["message"]


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_a_non_json_content_type_is_400(client_for, method, path, body, logged_in):
    client = client_for(logged_in)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.request(method, path, raw=json.dumps(body), content_type=content_type)
        error = assert_clean(response, 400, "unsupported_media_type")
        assert "application/json" in error["message"]


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_missing_fields_are_422_naming_each_field(client_for, method, path, body, logged_in):
    response = client_for(logged_in).request(method, path, {})
    if method == "PATCH":  # every field of a PATCH is optional
        assert response.status == 200
        return
    error = assert_clean(response, 422, "invalid")
    assert set(error["details"]["fields"]) == set(body)


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_an_empty_or_non_object_body_is_422(client_for, method, path, body, logged_in):
    client = client_for(logged_in)
    for raw in ("", "[]", "null", '"text"', "42"):
        error = assert_clean(client.request(method, path, raw=raw), 422, "invalid")
        assert error["details"]["fields"]


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_wrong_types_are_422_naming_the_field(client_for, method, path, body, logged_in):
    client = client_for(logged_in)
    field = next(iter(body))
    # null means "leave unchanged" in a PATCH; everywhere else it is a wrong type too.
    wrongs = [123, ["a"], {"a": 1}, True] + ([] if method == "PATCH" else [None])
    for wrong in wrongs:
        response = client.request(method, path, {**body, field: wrong})
        error = assert_clean(response, 422, "invalid")
        assert field in error["details"]["fields"], error


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_unknown_fields_are_422(client_for, method, path, body, logged_in):
    response = client_for(logged_in).request(method, path, {**body, "is_superuser": True})
    error = assert_clean(response, 422, "invalid")
    assert "is_superuser" in error["details"]["fields"]


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_a_10_mb_body_is_413(client_for, method, path, body, logged_in):
    raw = json.dumps({**body, "padding": "x" * (10 * 1024 * 1024)})
    error = assert_clean(client_for(logged_in).request(method, path, raw=raw), 413)
    assert error["code"] == "payload_too_large"
    assert error["details"]["limit"] == 1024 * 1024


@pytest.mark.parametrize(("method", "path", "body", "logged_in"), ENDPOINTS, ids=IDS)
def test_nul_characters_are_422_not_a_database_error(client_for, method, path, body, logged_in):
    field = next(iter(body))
    response = client_for(logged_in).request(method, path, {**body, field: "a\u0000b"})
    error = assert_clean(response, 422, "invalid")
    assert field in error["details"]["fields"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_the_body_limit_follows_the_setting(user_client):
    assert user_client.patch("/api/me", {"name": "x" * 50}).status == 200
    response = user_client.patch("/api/me", {"name": "x" * 3000})
    assert assert_clean(response, 413)["details"]["limit"] == 2048


def test_a_non_numeric_content_length_is_400(user_client):
    raw = user_client.client.post(
        "/api/auth/tokens",
        data="{}",
        content_type="application/json",
        CONTENT_LENGTH="lots",
        headers={"X-CSRFToken": user_client.csrf()},
    )
    assert_clean(Response(raw), 400, "bad_request")


def test_authentication_is_checked_before_the_body(api):
    response = api.post("/api/auth/tokens", raw="{not json")
    assert_clean(response, 401, "not_authenticated")


def test_sql_and_html_in_strings_are_stored_and_echoed_as_plain_text(api, user_client):
    hostile = "Robert'); DROP TABLE accounts_user;-- <img src=x onerror=alert(1)> {{7*7}} %s"
    response = api.post(
        "/api/auth/register",
        {"email": "bobby@example.com", "password": "kopi-susu-gula-aren-77", "name": hostile},
    )
    assert response.status == 201
    assert response.json["name"] == hostile
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert User.objects.get(email="bobby@example.com").name == hostile

    created = user_client.post("/api/auth/tokens", {"name": hostile[:100]})
    assert created.json["name"] == hostile[:100]
    assert AccessToken.objects.get().name == hostile[:100]

    # As a login email it is just a wrong email, not a query.
    login = api.post("/api/auth/login", {"email": "' OR '1'='1", "password": "' OR '1'='1"})
    assert_clean(login, 401)
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    "path", ["/api/nope", "/api/me/nope", "/api/auth/tokens/1/nope", "/api/", "/api/me/"]
)
def test_unknown_routes_under_api_are_404_in_the_error_shape(api, path):
    assert_clean(api.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/api/auth/login", "POST"),
        ("PUT", "/api/me", "GET"),
        ("DELETE", "/api/auth/csrf", "GET"),
        ("POST", "/api/health/live", "GET"),
    ],
)
def test_wrong_methods_under_api_are_405_with_allow(user_client, method, path, allowed):
    response = user_client.request(method, path, {} if method != "GET" else None)
    error = assert_clean(response, 405, "method_not_allowed")
    assert allowed in response.headers["Allow"]
    assert allowed in error["details"]["allowed"]


def test_an_unexpected_exception_is_a_500_without_internals(user_client, monkeypatch, caplog):
    def explode(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("paytungan.accounts.selectors.me_payload", explode)
    response = user_client.get("/api/me")
    error = assert_clean(response, 500, "server_error")
    assert "secret internal detail" not in response.raw.content.decode()
    assert error["details"] == {}
    logged = [r for r in caplog.records if r.name == "paytungan.errors"]
    assert logged
    assert logged[0].exc_info


def test_a_database_refusal_that_slipped_through_validation_is_422(user_client, monkeypatch):
    def refuse(**kwargs):
        raise DataError("value too long for type character varying(100)")

    monkeypatch.setattr("paytungan.accounts.services.user_update", refuse)
    response = user_client.patch("/api/me", {"name": "x"})
    error = assert_clean(response, 422, "invalid")
    assert "varying" not in error["message"]


def test_throttled_responses_are_in_the_error_shape(settings, user_client):
    settings.API_REQUESTS_PER_MINUTE = 1
    user_client.get("/api/me")
    response = user_client.get("/api/me")
    if response.status == 200:  # crossed a minute boundary between the two calls
        response = user_client.get("/api/me")
    error = assert_clean(response, 429, "throttled")
    assert int(response.headers["Retry-After"]) >= 1
    assert error["details"]["retry_after"] >= 1


def test_reshaped_errors_keep_the_headers_of_the_inner_layers(api, user_client):
    for response in (api.get("/api/nope"), user_client.put("/api/me", {})):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Type"] == "application/json"


def test_non_api_paths_keep_djangos_own_responses(api):
    response = api.get("/nope")
    assert response.status == 404
    assert response.json is None


def test_api_client_fixture_enforces_csrf(api):
    assert isinstance(api, ApiClient)
    assert api.client.handler.enforce_csrf_checks
