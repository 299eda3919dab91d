"""Test helpers: an HTTP client that speaks the API's JSON + CSRF conventions, and factories.

Used by every app's tests through the fixtures in backend/conftest.py. Requests go through the
full Django stack (middleware, CSRF enforcement, auth), exactly like a browser's.

Tests read the API's messages in English unless they are about the language: the client sends
`Accept-Language: en` and `make_user` creates users whose profile locale is English (the
product's default is Indonesian; common/tests/test_i18n.py checks how it is chosen).
"""

from __future__ import annotations

import io
import itertools
import json
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.client import Client as DjangoClient
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:  # common is below accounts: the model is the project's AUTH_USER_MODEL
    from paytungan.accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"  # noqa: S105 - test fixture
_seq = itertools.count(1)


class Response:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.status = raw.status_code
        self.headers = raw.headers
        content_type = raw.get("Content-Type", "")
        self.json: Any = (
            json.loads(raw.content)
            if content_type.startswith("application/json") and raw.content
            else None
        )

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.json!r}>"


class ApiClient:
    """JSON in, JSON out. Session requests carry the CSRF token like the frontend does."""

    def __init__(self, *, enforce_csrf: bool = True, accept_language: str | None = "en") -> None:
        self.client: DjangoClient = Client(enforce_csrf_checks=enforce_csrf)
        self.accept_language = accept_language
        self.bearer: str | None = None
        self._csrf: str | None = None

    # --- auth ---------------------------------------------------------------------------------
    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = self.client.get("/api/auth/csrf").json()["csrf_token"]
        return self._csrf

    def login(self, user: User) -> ApiClient:
        self.client.force_login(user)
        self._csrf = None
        return self

    def with_token(self, token: str | None) -> ApiClient:
        self.bearer = token
        return self

    # --- verbs --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        csrf: bool = True,
        remote_addr: str | None = None,
    ) -> Response:
        extra: dict[str, str] = dict(headers or {})
        if self.accept_language is not None:
            extra.setdefault("Accept-Language", self.accept_language)
        if self.bearer:
            extra.setdefault("Authorization", f"Bearer {self.bearer}")
        elif csrf and method not in ("GET", "HEAD", "OPTIONS"):
            extra.setdefault("X-CSRFToken", self.csrf())
        data: Any = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"headers": extra}
        if remote_addr is not None:
            kwargs["REMOTE_ADDR"] = remote_addr
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = content_type
        handler = getattr(self.client, method.lower())
        raw_response = handler(path, **kwargs)
        if settings.CSRF_COOKIE_NAME in raw_response.cookies:
            # Django rotates the CSRF token at login; like the frontend, fetch a fresh one.
            self._csrf = None
        return Response(raw_response)

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, body: Any = None, **kw: Any) -> Response:
        return self.request("DELETE", path, body, **kw)


def assert_error_shape(response: Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert the documented error shape and return its `error` object."""
    assert response.status == status, response
    assert response.headers.get("Content-Type", "").startswith("application/json"), response
    assert set(response.json) == {"error"}, response
    error: dict[str, Any] = response.json["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert isinstance(error["code"], str), error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert isinstance(error["details"], dict), error
    if code is not None:
        assert error["code"] == code, error
    return error


def make_user(
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    name: str | None = None,
    **extra: Any,
) -> User:
    n = next(_seq)
    extra.setdefault("locale", "en")
    return get_user_model().objects.create_user(
        email or f"user{n}@example.com", password, name=name or f"User {n}", **extra
    )


class QueryCounter(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)

    @property
    def count(self) -> int:
        return len(self.captured_queries)


def run_together(calls: Sequence[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Starts every call at the same moment, each on its own thread and its own database
    connection, and returns what each returned (or raised: the exception is its result).
    Fails when a call is still running after `timeout` seconds (a deadlock or a lost wake-up)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = calls[i]()
        except BaseException as exc:  # the caller's assertions show it
            results[i] = exc
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a call hung (deadlock?)"
    return results


WsgiAnswer = tuple[int, dict[str, str], bytes]


def wsgi_environ(method: str, path: str, raw: bytes = b"", **meta: str) -> dict[str, Any]:
    """A WSGI environ as gunicorn builds it; `meta` adds or overrides keys (HTTP_*, CONTENT_*)."""
    path, __, query = path.partition("?")
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **meta,
    }


def call_wsgi(
    handler: Callable[..., Any], method: str, path: str, body: Any = None, **headers: str
) -> WsgiAnswer:
    """Call a WSGI application as gunicorn does: (status, headers, body). Under pytest use the
    `wsgi_call` fixture, which keeps the request signals from closing the test's connection."""
    raw = json.dumps(body).encode() if body is not None else b""
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    environ = wsgi_environ(method, path, raw, **meta)
    started: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        started["status"] = int(status.split()[0])
        started["headers"] = dict(response_headers)
        return lambda data: None

    result = handler(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return started["status"], started["headers"], content


def wait_until(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Whether `check()` turned true within `seconds` (polled every 20 ms): for what another
    connection or thread delivers, such as change notices."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
    return pid


def server_closes_connection() -> int:
    """PostgreSQL ends the test's connection, as a restart or an idle timeout would (from
    another connection: pg_terminate_backend); returns once the connection sees it (the FATAL
    message and FIN arrive asynchronously). The pid the connection had."""
    from django.db import connections

    pid = backend_pid()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    assert wait_until(lambda: not connection.is_usable(), 5.0), "the connection stayed usable"
    return pid
