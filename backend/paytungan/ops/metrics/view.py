"""GET /metrics: Prometheus text format.

Access: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` (compared in constant
time) gets the metrics, anything else is 401. Without it the endpoint exists only when DEBUG is
on (404 otherwise), so a production deploy never exposes it by accident.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from paytungan.common.errors import error_response


class OutboxCollector(Collector):
    """Alert outbox depth, read from the database at scrape time: one value for the whole
    service rather than a per-worker gauge. Nothing when the alerts app isn't installed."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if not apps.is_installed("paytungan.alerts"):
            return
        from paytungan.alerts.models import Alert

        try:
            row = Alert.objects.aggregate(n=Count("id"), oldest=Min("first_seen"))
        except DatabaseError:
            return  # the scrape still answers; the missing series is the signal
        yield GaugeMetricFamily(
            "paytungan_alert_outbox_depth", "Alerts waiting for delivery to Discord.", row["n"]
        )
        age = (timezone.now() - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        yield GaugeMetricFamily(
            "paytungan_alert_outbox_oldest_age_seconds",
            "Age of the oldest alert waiting for delivery (0 when none).",
            max(age, 0.0),
        )


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, __, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def exposition() -> bytes:
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(OutboxCollector())
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
