"""The two hottest reads served in front of Django's request cycle (decision 0026).

`GET /api/groups` and `GET /api/groups/{gid}/balances` with a Bearer token are most of the API's
traffic. Their work is one query; Django's cycle around it (WSGIRequest, eight middlewares, URL
resolution, ninja's operation, HttpResponse) cost more than the query itself. `HotReads` wraps
the WSGI handler and answers exactly the common case of those two routes itself, with the same
functions the API uses (caller, access helper, selector, payload) and the same answer, headers,
log line, metrics and usage row. Everything else goes to Django unchanged: another route or
method, a query string or a body, no or an unusual Authorization header, a Host that
ALLOWED_HOSTS refuses, a pending SSL redirect, an unknown token, a non-member, a refused rate
limit, any exception. Django then answers as it always did (401, 404, 429, 500),
so the fast path never has to produce an error itself. `tests/test_hot_reads.py` compares
both paths' answers header by header.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http.request import split_domain_port, validate_host

from paytungan.accounts.auth import rate_limit
from paytungan.accounts.tokens import TOKEN_PREFIX, bearer_authenticate
from paytungan.common.errors import Throttled
from paytungan.common.responses import shaped_json_bytes
from paytungan.groups import selectors as group_selectors
from paytungan.groups.access import known_membership
from paytungan.ops.context import request_id_from_header, request_id_var, user_id_var
from paytungan.ops.metrics.middleware import QueryCount, record_traffic
from paytungan.ops.middleware import log_request
from paytungan.payments import selectors as payment_selectors

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_BALANCES = re.compile(r"/api/groups/([0-9]{1,18})/balances")
GROUPS_ROUTE = "/api/groups"
BALANCES_ROUTE = "/api/groups/{gid}/balances"


# Host header -> whether ALLOWED_HOSTS accepts it. A client picks the header, so the memo is
# bounded; it is emptied when a test overrides a setting (_forget_settings).
_HOSTS: dict[str, bool] = {}
_MAX_HOSTS = 64


def _host_ok(environ: dict[str, Any]) -> bool:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    ok = _HOSTS.get(host)
    if ok is None:
        domain, _port = split_domain_port(host)
        ok = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
        if len(_HOSTS) >= _MAX_HOSTS:
            _HOSTS.clear()
        _HOSTS[host] = ok
    return ok


def _secure(environ: dict[str, Any]) -> bool:
    header, value = settings.SECURE_PROXY_SSL_HEADER or (None, None)
    if header is not None:
        forwarded = environ.get(header)
        if forwarded is not None:
            return forwarded.split(",", 1)[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _connection_done() -> None:
    """What Django's request signals do that a hot read needs, without sending them (their
    dispatch and receivers were a fifth of a hot read in process): request_finished's
    close_old_connections() on the one connection a hot read uses. An obsolete or broken
    connection is closed, and the next request's first query checks it (the health check is
    armed here, for whichever request comes next on this thread). Not at the start as well:
    the previous request's end, hot or Django's, has done it. The other receivers (reset_queries,
    close_caches, reset_urlconf) clear what a hot read never touches: the debug query log,
    cache connections, a per-request URLconf. `tests/test_hot_reads.py` fails when anything
    else listens to those signals. A connection inside a transaction (a test's) is left alone,
    as Django's test client keeps it open."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


class HotReads:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = self._route(environ)
        if route is not None:
            answer = self._serve(environ, *route)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self.app(environ, start_response)

    @staticmethod
    def _route(environ: dict[str, Any]) -> tuple[str, int | None, str] | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        # A GET with a body: Django's handler reads it to its end (ops/handler.py, drain_body).
        if (
            environ.get("CONTENT_LENGTH", "0") not in ("", "0")
            or "HTTP_TRANSFER_ENCODING" in environ
        ):
            return None
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth[:7] != "Bearer " or not auth.startswith(TOKEN_PREFIX, 7):
            return None
        path = environ.get("PATH_INFO", "")
        if path == GROUPS_ROUTE:
            return GROUPS_ROUTE, None, auth[7:]
        match = _BALANCES.fullmatch(path)
        if match is None:
            return None
        return BALANCES_ROUTE, int(match[1]), auth[7:]

    def _serve(
        self, environ: dict[str, Any], route: str, group_id: int | None, secret: str
    ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        if not _host_ok(environ):
            return None
        if settings.SECURE_SSL_REDIRECT and not _secure(environ):
            return None
        started = time.perf_counter()
        request_id = request_id_from_header(environ.get("HTTP_X_REQUEST_ID"))
        rid_token = request_id_var.set(request_id)
        uid_token = user_id_var.set(None)
        try:
            answer = self._answer(route, group_id, secret)
        except Exception:
            answer = None
        finally:
            request_id_var.reset(rid_token)
            _connection_done()
        if answer is None:
            user_id_var.reset(uid_token)
            return None
        user_id, language, payload, queries = answer
        seconds = time.perf_counter() - started
        record_traffic(
            method="GET",
            route=route,
            status=200,
            seconds=seconds,
            queries=queries,
            bytes_in=0,
            bytes_out=len(payload),
            user_id=user_id,
        )
        log_request(
            meta=environ,
            method="GET",
            path=environ["PATH_INFO"],
            status=200,
            duration_ms=round(seconds * 1000, 2),
            request_id=request_id,
            user_id=user_id,
            request_size=0,
            response_size=len(payload),
        )
        user_id_var.reset(uid_token)
        return "200 OK", self._headers(environ, request_id, len(payload), language), payload

    @staticmethod
    def _answer(
        route: str, group_id: int | None, secret: str
    ) -> tuple[int, str, bytes, int] | None:
        """(caller, their language, the body, queries run), or None: let Django answer. The
        same steps in the same order as ApiAuth and the route, except that a non-member is
        handed over before the rate limit counts them (Django's path then counts once)."""
        queries = QueryCount()
        with connection.execute_wrapper(queries):
            found = bearer_authenticate(secret=secret, group_id=group_id, cached=True, shared=True)
            if found is None:
                return None
            user = found.user
            me = None if group_id is None else known_membership(user=user, group_id=group_id)
            if group_id is not None and me is None:
                return None
            user_id_var.set(user.pk)
            try:
                rate_limit(user)
            except Throttled:
                return None
            if me is None:
                items, next_cursor = group_selectors.group_list(user=user, limit=None, cursor=None)
                payload = shaped_json_bytes({"items": items, "next_cursor": next_cursor})
            else:
                payload = shaped_json_bytes(payment_selectors.group_balances(group=me.group))
        # What ApiAuth activates and LocaleMiddleware reports; nothing in these bodies is
        # translated, so nothing needs activating here.
        language = user.locale
        return user.pk, language, payload, queries.n

    @staticmethod
    def _headers(
        environ: dict[str, Any], request_id: str, length: int, language: str
    ) -> list[tuple[str, str]]:
        """What the middleware adds to a 200 of these routes (SecurityMiddleware, LocaleMiddleware,
        XFrameOptionsMiddleware, RequestLogMiddleware, the handler's Content-Length), in their
        order."""
        security, frame = _fixed_headers(_secure(environ))
        return [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(length)),
            *security,
            ("Content-Language", language),
            frame,
            ("X-Request-ID", request_id),
        ]


@lru_cache(maxsize=2)
def _fixed_headers(secure: bool) -> tuple[tuple[tuple[str, str], ...], tuple[str, str]]:
    """The headers that depend only on the settings and the scheme: SecurityMiddleware's and
    LocaleMiddleware's Vary, then XFrameOptionsMiddleware's."""
    headers = []
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        headers.append(("Strict-Transport-Security", sts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("Vary", "Accept-Language"))
    return tuple(headers), ("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())


@receiver(setting_changed)
def _forget_settings(**kwargs: Any) -> None:
    """What is worked out once from the settings is worked out again after a test changes one."""
    _HOSTS.clear()
    _fixed_headers.cache_clear()
