"""The hot reads in front of Django (paytungan/hot_reads.py): the two routes' common case is
answered without Django, exactly as Django answers it (status, headers, body, log line,
metrics, usage row); everything else is handed to Django untouched."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paytungan.accounts.models import User
from paytungan.accounts.tokens import token_create
from paytungan.common.testing import (
    WsgiAnswer,
    backend_pid,
    make_user,
    server_closes_connection,
    wait_until,
)
from paytungan.groups.models import Group, Member
from paytungan.groups.services import group_create, member_add
from paytungan.hot_reads import HotReads
from paytungan.ops.handler import ApiWSGIHandler
from paytungan.ops.metrics.registry import DB_QUERIES, REQUESTS
from paytungan.ops.usage.recorder import recorder

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _not_called(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise AssertionError(f"handed to Django: {environ['PATH_INFO']}")


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log() -> Iterator[_Lines]:
    lines = _Lines()
    logger = logging.getLogger("paytungan.request")
    logger.addHandler(lines)
    yield lines
    logger.removeHandler(lines)


@pytest.fixture
def usage_rows(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    monkeypatch.setattr(recorder, "record", lambda **row: rows.append(row))
    return rows


@pytest.fixture
def trip(db: None) -> tuple[User, str, Group]:
    ayu = make_user(name="Ayu")
    ayu.locale = "id"
    ayu.save(update_fields=["locale"])
    __, secret = token_create(user=ayu, name="cli")
    me = group_create(user=ayu, name="Trip", currency="USD")
    member_add(me=me, name="Budi")
    return ayu, secret, me.group


def _logged(record: logging.LogRecord) -> dict[str, Any]:
    fields = {k: getattr(record, k) for k in ("method", "path", "status", "user_id")}
    http = dict(record.httpRequest)  # type: ignore[attr-defined]  # set through `extra`
    http.pop("latency")
    return {**fields, "http": http, "message": record.getMessage().rsplit(" ", 1)[0]}


def _requests(route: str, status: str) -> float:
    return REQUESTS.labels("GET", route, status)._value.get()


def _same(hot: WsgiAnswer, django: WsgiAnswer) -> None:
    assert hot[0] == django[0]
    assert hot[1] == django[1]
    assert hot[2] == django[2]


@pytest.mark.parametrize("route", ["/api/groups", "/api/groups/{gid}/balances"])
@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "X-Forwarded-Proto": "https",
            "User-Agent": "cli/1.0",
            "X-Forwarded-For": "10.0.0.9",
            "Accept-Language": "en",
            "Cookie": "django_language=en",
        },
    ],
)
def test_the_common_case_is_answered_without_django_as_django_answers_it(
    wsgi_call: Any,
    trip: tuple[User, str, Group],
    request_log: _Lines,
    usage_rows: list[dict[str, Any]],
    route: str,
    extra: dict[str, str],
) -> None:
    ayu, secret, group = trip
    path = route.replace("{gid}", str(group.pk))
    headers = {"Authorization": f"Bearer {secret}", "X-Request-ID": "req-1", **extra}
    # A first use writes the token's last_used_at (one UPDATE a minute): out of the way.
    wsgi_call(ApiWSGIHandler(), "GET", path, **headers)
    before = _requests(route, "200")
    queries = DB_QUERIES.labels("GET", route)
    start = queries._value.get()
    django = wsgi_call(ApiWSGIHandler(), "GET", path, **headers)
    django_queries = queries._value.get() - start
    hot = wsgi_call(HotReads(_not_called), "GET", path, **headers)
    # Both count the same queries (caller and read: the caller cache is off under pytest).
    assert django_queries == 2
    assert queries._value.get() - start == 2 * django_queries
    _same(hot, django)
    assert hot[0] == 200
    assert hot[1]["Content-Language"] == "id"
    assert ("Strict-Transport-Security" in hot[1]) is bool(extra)
    assert _requests(route, "200") == before + 2
    assert usage_rows[-2] == usage_rows[-1]
    assert usage_rows[-1]["route"] == f"GET {route}"
    assert usage_rows[-1]["user_id"] == ayu.pk
    assert _logged(request_log.records[-1]) == _logged(request_log.records[-2])


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/api/groups", {}),
        ("GET", "/api/groups?limit=1", {"Authorization": "Bearer {secret}"}),
        ("POST", "/api/groups", {"Authorization": "Bearer {secret}"}),
        ("HEAD", "/api/groups", {"Authorization": "Bearer {secret}"}),
        ("GET", "/api/groups/", {"Authorization": "Bearer {secret}"}),
        ("GET", "/api/groups/{gid}/members", {"Authorization": "Bearer {secret}"}),
        ("GET", "/api/groups/{gid}/balances/", {"Authorization": "Bearer {secret}"}),
        ("GET", "/api/groups", {"Authorization": "bearer {secret}"}),
        ("GET", "/api/groups", {"Authorization": "Bearer  {secret}"}),
        ("GET", "/api/groups", {"Authorization": "Bearer pyt_unknown"}),
        ("GET", "/api/groups", {"Authorization": "Bearer {secret}", "Host": "evil.example"}),
        ("GET", "/api/groups/{other}/balances", {"Authorization": "Bearer {secret}"}),
        ("GET", "/api/groups/99999999/balances", {"Authorization": "Bearer {secret}"}),
    ],
)
def test_everything_else_is_handed_to_django(
    wsgi_call: Any, trip: tuple[User, str, Group], method: str, path: str, headers: dict[str, str]
) -> None:
    __, secret, group = trip
    other = group_create(user=make_user(name="Citra"), name="Other", currency="IDR").group
    path = path.format(gid=group.pk, other=other.pk)
    headers = {"X-Request-ID": "req-1", **{k: v.format(secret=secret) for k, v in headers.items()}}
    handed: list[str] = []
    django = ApiWSGIHandler()

    def spy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handed.append(environ["PATH_INFO"])
        return django(environ, start_response)

    _same(
        wsgi_call(HotReads(spy), method, path, **headers),
        wsgi_call(django, method, path, **headers),
    )
    assert handed == [path.partition("?")[0]]


def test_a_get_with_a_body_is_handed_to_django(
    wsgi_call: Any, trip: tuple[User, str, Group]
) -> None:
    secret = trip[1]
    handed: list[str] = []

    def spy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handed.append(environ["PATH_INFO"])
        return ApiWSGIHandler()(environ, start_response)

    answer = wsgi_call(
        HotReads(spy), "GET", "/api/groups", {"x": 1}, Authorization=f"Bearer {secret}"
    )
    assert answer[0] == 200
    assert handed == ["/api/groups"]


def test_a_refused_rate_limit_is_django_s_429(
    wsgi_call: Any, trip: tuple[User, str, Group], settings: Any
) -> None:
    __, secret, group = trip
    settings.API_REQUESTS_PER_MINUTE = 1
    hot = HotReads(ApiWSGIHandler())
    auth = {"Authorization": f"Bearer {secret}"}
    assert wsgi_call(hot, "GET", "/api/groups", **auth)[0] == 200
    status, headers, body = wsgi_call(hot, "GET", f"/api/groups/{group.pk}/balances", **auth)
    assert status == 429
    assert "Retry-After" in headers
    # Translated when refused, in the caller's language (Ayu's is Indonesian).
    assert "Pelan-pelan sedikit." in body.decode()


def test_a_failure_inside_is_answered_and_reported_by_django(
    wsgi_call: Any, trip: tuple[User, str, Group], monkeypatch: pytest.MonkeyPatch
) -> None:
    __, secret, group = trip

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("selector down")

    monkeypatch.setattr("paytungan.payments.selectors.group_balances", broken)
    status, __, body = wsgi_call(
        HotReads(ApiWSGIHandler()),
        "GET",
        f"/api/groups/{group.pk}/balances",
        Authorization=f"Bearer {secret}",
    )
    assert status == 500
    assert b'"server_error"' in body


def test_ssl_redirect_is_left_to_django(
    wsgi_call: Any, trip: tuple[User, str, Group], settings: Any
) -> None:
    secret = trip[1]
    settings.SECURE_SSL_REDIRECT = True
    answer = wsgi_call(
        HotReads(ApiWSGIHandler()), "GET", "/api/groups", Authorization=f"Bearer {secret}"
    )
    assert answer[0] == 301


def test_headers_and_hosts_follow_a_changed_setting(
    wsgi_call: Any, trip: tuple[User, str, Group], settings: Any
) -> None:
    """What the hot path works out once from the settings (its fixed headers, which Host
    headers pass) is worked out again when a setting changes, as Django reads them afresh."""
    secret = trip[1]
    auth = {"Authorization": f"Bearer {secret}", "X-Request-ID": "req-1"}
    handed: list[str] = []
    django = ApiWSGIHandler()

    def spy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handed.append(environ["HTTP_HOST"])
        return django(environ, start_response)

    hot = HotReads(spy)
    assert wsgi_call(hot, "GET", "/api/groups", **auth)[1]["X-Frame-Options"] == "DENY"
    wsgi_call(hot, "GET", "/api/groups", HOST="api.example", **auth)
    assert handed == ["api.example"]  # not an allowed host: Django's to answer
    settings.SECURE_REFERRER_POLICY = ["no-referrer", "strict-origin"]
    settings.X_FRAME_OPTIONS = "sameorigin"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "api.example"]
    hot_answer = wsgi_call(hot, "GET", "/api/groups", HOST="api.example", **auth)
    # SecurityMiddleware reads its settings when it is built: a new Django handler.
    fresh = ApiWSGIHandler()
    _same(hot_answer, wsgi_call(fresh, "GET", "/api/groups", HOST="api.example", **auth))
    assert handed == ["api.example"]
    assert hot_answer[1]["Referrer-Policy"] == "no-referrer,strict-origin"
    assert hot_answer[1]["X-Frame-Options"] == "SAMEORIGIN"


# --- with the caller cache on: the caller shared by the requests that hit one entry ------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL notices")
@pytest.mark.django_db(transaction=True)
def test_a_shared_cached_caller_still_sees_changes_at_once(
    wsgi_call: Any, caller_cache_live: None
) -> None:
    ayu = make_user(name="Ayu")
    token, secret = token_create(user=ayu, name="cli")
    me = group_create(user=ayu, name="Trip", currency="USD")
    member_add(me=me, name="Budi")
    hot = HotReads(ApiWSGIHandler())
    path = f"/api/groups/{me.group_id}/balances"

    def get() -> tuple[str, int, bytes]:
        with CaptureQueriesContext(connection) as queries:
            status, __, body = wsgi_call(hot, "GET", path, Authorization=f"Bearer {secret}")
        return status, len(queries), body

    assert get()[0] == 200
    # Once the notice of the token's last-use write is in, the caller comes from the cache.
    assert wait_until(lambda: get()[:2] == (200, 1), 2.0)
    Group.objects.filter(pk=me.group_id).update(currency="IDR")
    assert wait_until(lambda: b'"currency":"IDR"' in get()[2], 2.0)
    Member.objects.filter(pk=me.pk).update(is_active=False)
    assert wait_until(lambda: get()[0] == 404, 2.0)
    Member.objects.filter(pk=me.pk).update(is_active=True)
    assert wait_until(lambda: get()[0] == 200, 2.0)
    token.delete()
    assert wait_until(lambda: get()[0] == 401, 2.0)


# --- the connection, without the request signals ------------------------------------------------


def test_the_request_signals_have_only_the_receivers_the_hot_path_stands_in_for() -> None:
    """hot_reads._connection_done does what these receivers do for a hot read, instead of
    sending the signals: a new receiver must be looked at (and handled there)."""
    from django.core import signals

    def names(signal: Any) -> set[str]:
        sync, asynchronous = signal._live_receivers(None)
        return {f"{r.__module__}.{r.__qualname__}" for r in [*sync, *asynchronous]}

    assert names(signals.request_started) == {
        "django.db.reset_queries",
        "django.db.close_old_connections",
    }
    assert names(signals.request_finished) == {
        "django.db.close_old_connections",
        "django.core.cache.close_caches",
        "django.core.handlers.base.reset_urlconf",
    }


def _hot_balances(wsgi_call: Any, secret: str, group: Group) -> int:
    status, __, __ = wsgi_call(
        HotReads(_not_called),
        "GET",
        f"/api/groups/{group.pk}/balances",
        Authorization=f"Bearer {secret}",
    )
    return int(status)


def _hot_read_done(wsgi_call: Any, trip: tuple[User, str, Group]) -> Callable[[], int]:
    """One hot balances read answered (after a first use wrote the token's last_used_at);
    returns what makes the next one."""
    __, secret, group = trip
    wsgi_call(ApiWSGIHandler(), "GET", "/api/groups", Authorization=f"Bearer {secret}")
    assert _hot_balances(wsgi_call, secret, group) == 200
    return lambda: _hot_balances(wsgi_call, secret, group)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_a_hot_read_closes_a_connection_past_its_age(
    wsgi_call: Any, trip: tuple[User, str, Group]
) -> None:
    hot_read = _hot_read_done(wsgi_call, trip)
    assert connection.connection is not None
    connection.close_at = time.monotonic() - 1  # past CONN_MAX_AGE
    assert hot_read() == 200
    assert connection.connection is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")
@pytest.mark.django_db(transaction=True)
def test_after_a_hot_read_a_connection_the_server_closed_is_replaced(
    wsgi_call: Any, trip: tuple[User, str, Group]
) -> None:
    hot_read = _hot_read_done(wsgi_call, trip)
    pid = server_closes_connection()
    connection.close_if_unusable_or_obsolete()  # what the end of that request left armed
    assert hot_read() == 200
    assert backend_pid() != pid
