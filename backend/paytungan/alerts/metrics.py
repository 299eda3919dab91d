"""The alert outbox as Prometheus gauges on GET /metrics."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from paytungan.alerts.models import Alert


class OutboxCollector(Collector):
    """Alert outbox depth, read from the database at scrape time: one value for the whole
    service rather than a per-worker gauge. Registered with ops/metrics/view.py by
    AlertsConfig.ready."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
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
