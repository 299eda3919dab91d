"""One JSON line per request, with the fields Cloud Logging promotes, and never a secret."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import RequestFactory

from paytungan.accounts.tokens import token_create
from paytungan.common.testing import DEFAULT_PASSWORD, make_user
from paytungan.ops.logging import JsonFormatter

STRONG = "rendang-padang-pedas-31"


class LogCapture:
    """Everything logged anywhere, formatted exactly as production writes it to stdout."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if line["logger"] == "paytungan.request"]

    def clear(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()


@pytest.fixture
def json_log() -> Iterator[LogCapture]:
    capture = LogCapture()
    handler = logging.StreamHandler(capture.stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield capture
    finally:
        root.removeHandler(handler)


def test_each_request_is_one_json_line_with_the_cloud_logging_fields(user_client, user, json_log):
    response = user_client.get("/api/me", headers={"User-Agent": "pytest-agent"})

    lines = json_log.requests()
    assert len(lines) == 1
    line = lines[0]
    assert line["severity"] == "INFO"
    assert line["message"].startswith("GET /api/me 200 ")
    assert line["method"] == "GET"
    assert line["path"] == "/api/me"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float | int)
    assert line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["time"].endswith("+00:00")
    http = line["httpRequest"]
    assert http["requestMethod"] == "GET"
    assert http["requestUrl"] == "/api/me"
    assert http["status"] == 200
    assert re.fullmatch(r"\d+\.\d{6}s", http["latency"])
    assert http["userAgent"] == "pytest-agent"
    assert int(http["responseSize"]) == len(response.raw.content)
    # Every line is a single physical line of JSON.
    assert all(text.startswith("{") for text in json_log.text.splitlines())


@pytest.mark.parametrize(
    ("status_path", "severity"),
    [("/api/health/live", None), ("/api/me", "WARNING"), ("/api/nope", "WARNING")],
)
def test_severity_follows_the_status(api, json_log, status_path, severity):
    api.get(status_path)
    lines = json_log.requests()
    if severity is None:  # probes are answered before the log middleware, and not logged
        assert lines == []
    else:
        assert [line["severity"] for line in lines] == [severity]


def test_server_errors_are_logged_as_errors(user_client, json_log, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("paytungan.accounts.selectors.me_payload", explode)
    user_client.get("/api/me")
    (line,) = json_log.requests()
    assert (line["severity"], line["status"]) == ("ERROR", 500)
    failure = next(x for x in json_log.lines if x["logger"] == "paytungan.errors")
    assert "RuntimeError: boom" in failure["exception"]
    assert failure["request_id"] == line["request_id"]


def test_a_plain_request_id_from_the_caller_is_kept_and_echoed(api, json_log):
    response = api.get("/api/health/live")  # probes don't log, but the next request does
    response = api.get("/api/me", headers={"X-Request-ID": "trace-abc_123.4:5"})
    assert response.headers["X-Request-ID"] == "trace-abc_123.4:5"
    assert json_log.requests()[0]["request_id"] == "trace-abc_123.4:5"


@pytest.mark.parametrize(
    "forged",
    [
        "x" * 129,
        "abc def",
        "abc\ninjected",
        '{"severity": "CRITICAL"}',
        "<script>alert(1)</script>",
        "",
    ],
)
def test_an_unsafe_request_id_is_replaced(api, json_log, forged):
    response = api.get("/api/me", headers={"X-Request-ID": forged})
    generated = response.headers["X-Request-ID"]
    assert generated != forged
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert json_log.requests()[0]["request_id"] == generated
    if forged:
        assert forged not in json_log.text


def test_every_request_gets_its_own_id(api, json_log):
    ids = {api.get("/api/me").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_lines_logged_during_a_request_carry_its_request_id(api, json_log):
    make_user(email="rid@example.com")
    response = api.post("/api/auth/password-reset", {"email": "rid@example.com"})
    rid = response.headers["X-Request-ID"]
    sent = next(x for x in json_log.lines if x["message"] == "password reset email sent")
    assert sent["request_id"] == rid
    assert isinstance(sent["user_id"], int)


def test_user_id_is_null_for_anonymous_and_set_for_bearer(api, make_client, user, json_log):
    api.get("/api/auth/csrf")
    _, secret = token_create(user=user, name="cli")
    make_client().with_token(secret).get("/api/me")
    anonymous, bearer = json_log.requests()
    assert anonymous["user_id"] is None
    assert bearer["user_id"] == user.pk


def test_the_user_id_is_logged_for_the_request_that_deletes_the_account(
    user_client, user, json_log
):
    user_id = user.pk
    assert user_client.delete("/api/me").status == 204
    assert json_log.requests()[-1]["user_id"] == user_id


def test_login_logs_the_user_who_logged_in(api, user, json_log):
    api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert json_log.requests()[-1]["user_id"] == user.pk


def test_passwords_tokens_cookies_and_query_strings_never_reach_the_log(api, make_client, json_log):
    # Register, log in, change the password, make and use a token, fail CSRF, send secrets in a
    # query string: then look for every secret in everything that was logged.
    api.post("/api/auth/register", {"email": "s@example.com", "password": STRONG, "name": "S"})
    api.post("/api/auth/logout")
    api.post("/api/auth/login", {"email": "s@example.com", "password": STRONG})
    api.post("/api/auth/login", {"email": "s@example.com", "password": "wrong-" + STRONG})
    api.post(
        "/api/auth/password",
        {"current_password": STRONG, "new_password": STRONG + "-new"},
    )
    created = api.post("/api/auth/tokens", {"name": "cli"})
    secret = created.json["token"]
    make_client().with_token(secret).get("/api/me?access_token=" + secret)
    make_client().with_token(secret + "x").get("/api/me")
    api.post("/api/auth/tokens", {"name": "no-csrf"}, csrf=False)
    api.get("/api/me?password=" + STRONG)

    cookies = {name: morsel.value for name, morsel in api.client.cookies.items()}
    assert cookies.get("sessionid")
    assert cookies.get("csrftoken")
    secrets = [STRONG, STRONG + "-new", secret, secret[12:], *cookies.values(), api.csrf()]

    text = json_log.text
    assert len(json_log.requests()) >= 9
    for value in secrets:
        assert value not in text
    assert "access_token" not in text
    # Django's CSRF logger attached the request; only its method and path were kept.
    csrf = next(x for x in json_log.lines if x["logger"] == "django.security.csrf")
    assert csrf["request"] == {"method": "POST", "path": "/api/auth/tokens"}
    assert "?" not in "".join(line["path"] for line in json_log.requests())


def test_django_loggers_attaching_the_request_do_not_leak_its_query_string():
    request = RequestFactory().post("/api/auth/tokens?token=pyt_secret")
    record = logging.LogRecord("django.security.csrf", logging.WARNING, "", 0, "x", None, None)
    record.request = request
    record.status_code = 403
    line = json.loads(JsonFormatter().format(record))
    assert line["request"] == {"method": "POST", "path": "/api/auth/tokens"}
    assert "pyt_secret" not in json.dumps(line)


def test_the_formatter_keeps_extra_fields_and_exceptions():
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "", 0, "failed %s", ("job",), sys.exc_info())
    record.job_id = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "failed job"
    assert line["severity"] == "ERROR"
    assert line["job_id"] == 7
    assert "ValueError: bad" in line["exception"]


def test_remote_ip_is_the_client_behind_the_trusted_proxies(api, json_log, settings):
    api.get("/api/me", headers={"X-Forwarded-For": "203.0.113.7"}, remote_addr="10.0.0.2")
    settings.NUM_PROXIES = 1
    api.get("/api/me", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}, remote_addr="10.0.0.2")
    untrusted, trusted = json_log.requests()
    assert untrusted["httpRequest"]["remoteIp"] == "10.0.0.2"
    assert trusted["httpRequest"]["remoteIp"] == "203.0.113.7"
