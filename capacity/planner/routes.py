"""Per-route figures from the /metrics text of each instance: requests, mean time, server errors
and database queries per request, summed over instances. This is what says *why* a route is
slow (e.g. its query count), where the load test only says *that* it is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class RouteFigures:
    route: str  # "GET /api/groups/{gid}/bills"
    requests: int
    errors: int  # 5xx
    mean_ms: float
    queries_per_request: float


def route_figures(texts: list[str]) -> list[RouteFigures]:
    requests: dict[str, float] = defaultdict(float)
    errors: dict[str, float] = defaultdict(float)
    seconds: dict[str, float] = defaultdict(float)
    queries: dict[str, float] = defaultdict(float)
    for text in texts:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = sample.labels
                if "route" not in labels or labels["route"] == "/metrics":
                    continue
                key = f"{labels.get('method', '')} {labels['route']}"
                if sample.name == "paytungan_http_requests_total":
                    requests[key] += sample.value
                    if labels.get("status", "").startswith("5"):
                        errors[key] += sample.value
                elif sample.name == "paytungan_http_request_duration_seconds_sum":
                    seconds[key] += sample.value
                elif sample.name == "paytungan_db_queries_total":
                    queries[key] += sample.value
    rows = [
        RouteFigures(
            route=key,
            requests=int(n),
            errors=int(errors[key]),
            mean_ms=1000 * seconds[key] / n,
            queries_per_request=queries[key] / n,
        )
        for key, n in requests.items()
        if n
    ]
    return sorted(rows, key=lambda r: -r.requests)
