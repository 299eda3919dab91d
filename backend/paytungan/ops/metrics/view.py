"""GET /metrics: Prometheus text format.

Access: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` (compared in constant
time) gets the metrics, anything else is 401. Without it the endpoint exists only when DEBUG is
on (404 otherwise), so a production deploy never exposes it by accident.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from paytungan.common.errors import error_response

# Collectors that read the database at scrape time, registered by the apps above ops that own
# the data (alerts: the outbox depth), so ops needn't import them.
_collectors: list[Callable[[], Collector]] = []


def register_collector(make: Callable[[], Collector]) -> None:
    _collectors.append(make)


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, __, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def exposition() -> bytes:
    scrape = CollectorRegistry(auto_describe=False)
    for make in _collectors:
        scrape.register(make())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker's files, summed; a worker's own in-memory registry would be one of many.
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        return generate_latest(workers) + generate_latest(scrape)
    return generate_latest(REGISTRY) + generate_latest(scrape)


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token: str = settings.METRICS_TOKEN
    if token:
        if not _authorized(request, token):
            response = error_response(401, "not_authenticated", _("Send the metrics bearer token."))
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    elif not settings.DEBUG:
        return error_response(404, "not_found", _("Not found."))
    metrics_response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    metrics_response["Cache-Control"] = "no-store"
    return metrics_response
