"""GET /metrics: per-route counters and latency, DB queries, outbox depth, access rules, and
sums over several worker processes (prometheus_client multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

from paytungan.alerts.models import Alert
from paytungan.common.testing import assert_error_shape

TOKEN = "metrics-token-0123456789-abcdef"
BACKEND = Path(__file__).resolve().parents[3]


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_n_requests_count_n_on_their_route_pattern_with_latency_and_queries(user_client):
    labels = {"method": "GET", "route": "/api/me"}
    before = (
        sample("paytungan_http_requests_total", status="200", **labels),
        sample("paytungan_http_request_duration_seconds_count", **labels),
        sample("paytungan_db_queries_total", **labels),
    )

    for _ in range(7):
        assert user_client.get("/api/me").status == 200

    assert sample("paytungan_http_requests_total", status="200", **labels) - before[0] == 7
    assert sample("paytungan_http_request_duration_seconds_count", **labels) - before[1] == 7
    # A session lookup and the rate-limit write at least, on every request.
    assert sample("paytungan_db_queries_total", **labels) - before[2] >= 7


def test_paths_with_ids_share_one_series_and_unknown_paths_one_more(user_client):
    route = {"method": "GET", "route": "/api/groups/{gid}"}
    before = sample("paytungan_http_requests_total", status="404", **route)
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    before_unmatched = sample("paytungan_http_requests_total", **unmatched)

    for gid in (101, 202, 303):
        assert user_client.get(f"/api/groups/{gid}").status == 404
    for junk in ("/nope", "/wp-login.php", "/api/../etc"):
        user_client.get(junk)

    assert sample("paytungan_http_requests_total", status="404", **route) - before == 3
    assert sample("paytungan_http_requests_total", **unmatched) - before_unmatched == 3


def test_metrics_needs_the_bearer_token_when_one_is_set(api, settings):
    settings.METRICS_TOKEN = TOKEN

    assert_error_shape(api.get("/metrics"), 401)
    assert api.get("/metrics").headers["WWW-Authenticate"].startswith("Bearer")
    wrong = api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert_error_shape(wrong, 401)
    ok = api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert ok.status == 200
    assert ok.headers["Content-Type"].startswith("text/plain")
    assert b"paytungan_http_requests_total" in ok.raw.content


def test_metrics_is_hidden_without_a_token_in_production_and_open_in_debug(api, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = False
    assert_error_shape(api.get("/metrics"), 404)

    settings.DEBUG = True
    assert api.get("/metrics").status == 200


def test_alert_outbox_depth_is_read_at_scrape_time(api, settings):
    settings.METRICS_TOKEN = TOKEN
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for n in range(3):
        Alert.objects.create(source="test", kind="test", issue_key=f"k{n}", payload={})

    text = api.get("/metrics", headers=auth).raw.content.decode()

    assert "paytungan_alert_outbox_depth 3.0" in text
    assert "paytungan_alert_outbox_oldest_age_seconds" in text


WORKER = """
from paytungan.ops.metrics.registry import IN_FLIGHT, observe
for _ in range({n}):
    observe(method="GET", route="/api/groups", status=200, seconds=0.02, queries=3)
"""


def test_counts_from_several_worker_processes_add_up(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(BACKEND)}
    for n in (5, 8):  # two "gunicorn workers", each with its own process and files
        subprocess.run([sys.executable, "-c", WORKER.format(n=n)], env=env, check=True)

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    labels = {"method": "GET", "route": "/api/groups"}

    assert registry.get_sample_value(
        "paytungan_http_requests_total", {**labels, "status": "200"}
    ) == pytest.approx(13)
    assert registry.get_sample_value(
        "paytungan_http_request_duration_seconds_count", labels
    ) == pytest.approx(13)
    assert registry.get_sample_value("paytungan_db_queries_total", labels) == pytest.approx(39)


_FORKED_COUNTS = """
import os, sys
from paytungan.ops.metrics import registry
from prometheus_client import values
assert values.ValueClass is not values.MutexValue
child = os.fork()
if child == 0:
    registry.DB_QUERIES.labels("GET", "/x").inc(3)
    os._exit(0)
os.waitpid(child, 0)
registry.DB_QUERIES.labels("GET", "/x").inc(2)
print(child, os.getpid())
"""


def test_in_multiprocess_mode_each_forked_process_writes_its_own_file(tmp_path: Path) -> None:
    """The values take the process id from common/process.py, not from a getpid per update:
    a worker forked after import must still count in a file of its own."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(BACKEND)}
    done = subprocess.run(
        [sys.executable, "-c", _FORKED_COUNTS], env=env, capture_output=True, text=True, check=True
    )
    child, parent = done.stdout.split()
    counters = sorted(p.name for p in tmp_path.glob("counter_*.db"))
    assert counters == sorted([f"counter_{child}.db", f"counter_{parent}.db"])
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=str(tmp_path))
    value = collected.get_sample_value(
        "paytungan_db_queries_total", {"method": "GET", "route": "/x"}
    )
    assert value == 5
