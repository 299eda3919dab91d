"""One pass over every request that feeds both the Prometheus metrics and the usage analytics.

Sits just inside RequestLogMiddleware (see the settings block), so the time covers security,
sessions, CSRF, auth and the view, and the user id the API's auth sets is still readable. Health
probes are answered further out and are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from paytungan.ops.context import user_id_var
from paytungan.ops.metrics.registry import IN_FLIGHT, method_label, observe, route_label
from paytungan.ops.usage.day import local_today
from paytungan.ops.usage.recorder import recorder

METRICS_ROUTE = "/metrics"  # operator traffic: measured, but not part of the usage report


class QueryCount:
    """A Django execute wrapper that only counts: cheaper than capturing SQL."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.n += 1
        return execute(sql, params, many, ctx)


def _user_id(request: HttpRequest) -> int | None:
    user_id = user_id_var.get()
    if user_id is not None:
        return user_id
    # Only a user something already loaded (admin, session views): evaluating the lazy
    # request.user here would cost a session query on anonymous requests.
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not user.is_authenticated:
        return None
    pk = user.pk
    return pk if isinstance(pk, int) else None


def _int(value: object) -> int:
    try:
        return max(0, int(str(value)))
    except ValueError:
        return 0


class TrafficMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = QueryCount()
        IN_FLIGHT.inc()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(queries):
                response = self.get_response(request)
        finally:
            IN_FLIGHT.dec()
        seconds = time.perf_counter() - started
        status = response.status_code
        size = response.get("Content-Length") if response.streaming else len(response.content)
        record_traffic(
            method=method_label(request),
            route=route_label(request),
            status=status,
            seconds=seconds,
            queries=queries.n,
            bytes_in=_int(request.META.get("CONTENT_LENGTH") or 0),
            bytes_out=_int(size or 0),
            user_id=_user_id(request),
        )
        return response


def record_traffic(
    *,
    method: str,
    route: str,
    status: int,
    seconds: float,
    queries: int,
    bytes_in: int,
    bytes_out: int,
    user_id: int | None,
) -> None:
    """One request into the metrics and (but operator traffic) the usage analytics."""
    observe(method=method, route=route, status=status, seconds=seconds, queries=queries)
    if route != METRICS_ROUTE:
        recorder.record(
            day=local_today(),
            route=f"{method} {route}",
            status=status,
            bytes_in=bytes_in,
            bytes_out=bytes_out,
            user_id=user_id,
        )
