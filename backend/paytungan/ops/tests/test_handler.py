"""The API's WSGI handler (ops/handler.py): Bearer calls of group routes take the short
middleware chain and answer exactly what the full chain answers; everything else takes the
full chain."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from paytungan.accounts.tokens import token_create
from paytungan.common.testing import make_user, wsgi_environ
from paytungan.groups.services import group_create
from paytungan.ops.handler import ApiWSGIHandler, is_bearer_group_call


@pytest.mark.parametrize(
    ("path", "authorization", "expected"),
    [
        ("/api/groups", "Bearer pyt_x", True),
        ("/api/groups/7/balances", "bearer pyt_x", True),
        ("/api/groupsx", "Bearer pyt_x", False),
        ("/api/groups", "", False),
        ("/api/groups", "Basic eDp5", False),
        ("/api/auth/login", "Bearer pyt_x", False),
        ("/api/me", "Bearer pyt_x", False),
        ("/admin/", "Bearer pyt_x", False),
    ],
)
def test_which_requests_take_the_short_chain(path: str, authorization: str, expected: bool) -> None:
    headers = {"Authorization": authorization} if authorization else None
    assert is_bearer_group_call(RequestFactory().get(path, headers=headers)) is expected


def _same_answer(
    short: tuple[int, dict[str, str], bytes], full: tuple[int, dict[str, str], bytes]
) -> None:
    """Same status, headers and body; the short chain always says its Content-Length (the full
    chain's error answers, reshaped outside CommonMiddleware, may not)."""
    (status_a, headers_a, body_a), (status_b, headers_b, body_b) = short, full
    assert status_a == status_b
    assert headers_a.pop("Content-Length") == str(len(body_a))
    headers_b.pop("Content-Length", None)
    assert {k: v for k, v in headers_a.items() if k != "X-Request-ID"} == {
        k: v for k, v in headers_b.items() if k != "X-Request-ID"
    }
    assert body_a == body_b


def test_bearer_group_calls_answer_exactly_as_the_full_chain(wsgi_call: Any) -> None:
    ayu = make_user(name="Ayu")
    __, secret = token_create(user=ayu, name="cli")
    group = group_create(user=ayu, name="Trip", currency="IDR").group
    stranger_secret = token_create(user=make_user(name="Stranger"), name="cli")[1]
    short, full = ApiWSGIHandler(), WSGIHandler()
    auth = {"Authorization": f"Bearer {secret}", "Accept-Language": "id"}
    for path, headers in [
        ("/api/groups", auth),
        (f"/api/groups/{group.pk}/balances", auth),
        (f"/api/groups/{group.pk}/bills?limit=5", auth),
        (f"/api/groups/{group.pk}/balances", {"Authorization": f"Bearer {stranger_secret}"}),
        ("/api/groups", {"Authorization": "Bearer pyt_not-a-token"}),
        ("/api/groups/nope", auth),
    ]:
        _same_answer(
            wsgi_call(short, "GET", path, **headers), wsgi_call(full, "GET", path, **headers)
        )
    status, headers, __ = wsgi_call(short, "GET", "/api/groups", **auth)
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY"


def test_a_bearer_write_on_the_short_chain_is_saved_once(wsgi_call: Any) -> None:
    ayu = make_user(name="Ayu")
    __, secret = token_create(user=ayu, name="cli")
    group = group_create(user=ayu, name="Trip", currency="IDR").group
    handler = ApiWSGIHandler()
    auth = {"Authorization": f"Bearer {secret}"}
    status, __, body = wsgi_call(handler, "GET", f"/api/groups/{group.pk}/members", **auth)
    me = json.loads(body)["items"][0]["id"]
    bill = {
        "title": "Dinner",
        "total": "90000",
        "payers": [{"member_id": me, "amount": "90000"}],
        "split": {"mode": "equal", "members": [{"member_id": me}]},
    }
    status, __, body = wsgi_call(
        handler, "POST", f"/api/groups/{group.pk}/bills", bill, **auth, **{"Idempotency-Key": "k1"}
    )
    assert status == 201, body
    again = wsgi_call(
        handler, "POST", f"/api/groups/{group.pk}/bills", bill, **auth, **{"Idempotency-Key": "k1"}
    )
    assert again[0] == 201
    assert json.loads(again[2])["id"] == json.loads(body)["id"]


def test_sessions_and_bearer_logins_still_take_the_full_chain(
    wsgi_call: Any, settings: Any
) -> None:
    settings.THROTTLE_ENABLED = False
    make_user(name="Ayu", email="ayu@example.com", password="correct horse battery")
    handler = ApiWSGIHandler()
    # A Bearer header on the login route: the full chain, which has the session to log into.
    status, headers, body = wsgi_call(
        handler,
        "POST",
        "/api/auth/login",
        {"email": "ayu@example.com", "password": "correct horse battery"},
        Authorization="Bearer pyt_ignored",
    )
    assert status == 200, body
    cookie = headers.get("Set-Cookie", "")
    session = cookie.split("sessionid=")[1].split(";")[0]
    status, __, body = wsgi_call(handler, "GET", "/api/groups", Cookie=f"sessionid={session}")
    assert status == 200, body


def _unread_after(handler: WSGIHandler, method: str, path: str, body: bytes, **meta: str) -> int:
    environ = wsgi_environ(method, path, body, **meta)
    stream = environ["wsgi.input"]
    result = handler(environ, lambda status, headers, exc_info=None: lambda data: None)
    try:
        b"".join(result)
    finally:
        result.close()
    return len(body) - stream.tell()


@pytest.mark.parametrize(
    ("method", "path", "meta"),
    [
        # Refused from its Content-Length, before anything reads it (413).
        ("POST", "/api/groups/1/bills", {"HTTP_AUTHORIZATION": "Bearer pyt_x"}),
        ("POST", "/api/groups", {}),
        # An upload refused before its body is parsed (401), and a page outside /api/.
        ("POST", "/api/groups/1/receipts/scan", {"CONTENT_TYPE": "multipart/form-data; b=x"}),
        ("POST", "/admin/login/", {"CONTENT_TYPE": "application/x-www-form-urlencoded"}),
    ],
)
def test_a_body_the_app_did_not_read_is_read_to_its_end(
    wsgi_call: Any, method: str, path: str, meta: dict[str, str]
) -> None:
    # gunicorn answers "Connection: keep-alive" and then, finding more than 64 KiB of the body
    # unread, closes the connection: the proxy in front (Next's rewrites) sends the next
    # request, often another user's, on it and answers a 500 "socket hang up".
    body = b"x" * (2 * 1024 * 1024)
    assert _unread_after(ApiWSGIHandler(), method, path, body, **meta) == 0


def test_a_body_announced_far_past_every_limit_is_left_alone(wsgi_call: Any) -> None:
    # Not read at all: no thread spends itself on 2**63 announced bytes; gunicorn closes.
    body = b"x" * 1024
    meta = {"CONTENT_LENGTH": str(2**63)}
    assert _unread_after(ApiWSGIHandler(), "POST", "/api/groups", body, **meta) == len(body)
