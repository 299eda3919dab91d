"""The metric objects and how a request is labelled.

Labels are the resolved route pattern (`/api/groups/{gid}/bills`), never the raw path, and a
fixed set of methods: a client sending random paths or verbs cannot grow the number of series.

Under gunicorn with PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py does it), each worker
writes these values to mmap files in that directory and /metrics sums them over every worker;
prometheus_client reads the variable when it is first imported, before any metric is created.
Each of those values checks on every update that the process has not forked, with os.getpid(),
a system call (several per request): they are given the fork-aware id of common/process.py
instead, before the first metric below is made.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import Counter, Gauge, Histogram, values

from paytungan.common.process import current_pid

if values.ValueClass is not values.MutexValue:  # multiprocess mode (PROMETHEUS_MULTIPROC_DIR)
    values.ValueClass = values.MultiProcessValue(process_identifier=current_pid)

# Latency buckets around the SLO (300 ms by default) so a p95 can be read near it.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")

REQUESTS = Counter(
    "paytungan_http_requests",
    "HTTP requests by method, route pattern and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "paytungan_http_request_duration_seconds",
    "Time from the request entering the app to the response leaving it.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
DB_QUERIES = Counter(
    "paytungan_db_queries",
    "Database queries run while answering requests, by method and route pattern.",
    ["method", "route"],
)
# Little's law: in flight = arrival rate x time in the system; compare with workers x threads.
IN_FLIGHT = Gauge(
    "paytungan_http_requests_in_flight",
    "Requests being answered right now (summed over live workers).",
    multiprocess_mode="livesum",
)


def method_label(request: HttpRequest) -> str:
    method = request.method or ""
    return method if method in _METHODS else "OTHER"


@lru_cache(maxsize=512)
def _pretty(route: str) -> str:
    return "/" + _CONVERTER.sub(r"{\1}", route)


def route_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return _pretty(match.route)
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "/static"
    return UNMATCHED


# The series of each (method, route, status) seen so far: `labels()` takes the metric's lock
# and builds its key on every call, three times a request (a tenth of a hot read's metrics
# cost). The children are the ones `labels()` returns, so the values are the same series. At
# most methods x routes x statuses entries, like the series themselves.
_series: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}


def _children(method: str, route: str, status: int) -> tuple[Any, Any, Any]:
    key = (method, route, status)
    found = _series.get(key)
    if found is None:
        found = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
            DB_QUERIES.labels(method, route),
        )
        _series[key] = found
    return found


def observe(*, method: str, route: str, status: int, seconds: float, queries: int) -> None:
    requests, latency, db_queries = _children(method, route, status)
    requests.inc()
    latency.observe(seconds)
    if queries:
        db_queries.inc(queries)
