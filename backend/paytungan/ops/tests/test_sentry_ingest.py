"""End to end against a stand-in for Sentry's ingestion: what the SDK really sends."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paytungan.ops.tests.sentry_stub import SentryStub

BACKEND = Path(__file__).resolve().parents[3]
SECRETS = [
    b"hunter2-secret-pw",
    b"ayu.lestari@example.com",
    b"pat_supersecrettoken123",
    b"csrf-cookie-secret",
    b"cookie-secret-value",
    b"csrf-header-secret",
    b"querysecret123",
]


@pytest.fixture(scope="module")
def sent():
    stub = SentryStub().start()
    env = {
        **os.environ,
        "SENTRY_DSN": stub.dsn,
        "SENTRY_ENVIRONMENT": "probe-env",
        "SENTRY_RELEASE": "probe-release-1",
        "DJANGO_SETTINGS_MODULE": "paytungan.settings",
    }
    try:
        result = subprocess.run(
            [sys.executable, "-m", "paytungan.ops.tests.sentry_probe"],
            cwd=BACKEND,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        [line] = [ln for ln in result.stdout.splitlines() if ln.startswith("PROBE_RESULT ")]
        statuses = json.loads(line.removeprefix("PROBE_RESULT "))
        yield statuses, stub.events(), stub.raw(), result.stdout
    finally:
        stub.stop()


def by_request(events, request_id):
    return [e for e in events if e.get("tags", {}).get("request_id") == request_id]


def test_the_probe_requests_got_the_expected_answers(sent):
    statuses, *_ = sent
    assert statuses == {"handled": 404, "boom": 500, "gateway": 200, "plain": 500}


def test_unexpected_error_is_sent_with_release_environment_and_request_id(sent):
    _, events, _, logs = sent
    [event] = by_request(events, "probe-req-boom")
    assert event["release"] == "probe-release-1"
    assert event["environment"] == "probe-env"
    assert event["tags"]["group_id"] == "7"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    # The same request id is on the log line, so the alert leads to the logs.
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == "probe-req-boom" for line in lines)


def test_nothing_secret_or_personal_is_sent(sent):
    _, events, raw, _ = sent
    assert events
    for secret in SECRETS:
        assert secret not in raw, secret
    for event in events:
        assert set(event.get("user") or {}) <= {"id"}


def test_handled_4xx_is_not_sent(sent):
    _, events, _, _ = sent
    assert by_request(events, "probe-req-handled") == []


def test_failing_external_call_is_reported_once_with_context(sent):
    _, events, _, _ = sent
    [event] = by_request(events, "probe-req-gateway")
    assert event["tags"]["group_id"] == "7"
    assert event["tags"]["provider"] == "stub"
    assert "payment provider timed out" in json.dumps(event["exception"])


def test_error_in_a_plain_django_view_is_sent(sent):
    _, events, _, _ = sent
    [event] = by_request(events, "probe-req-plain")
    assert event["exception"]["values"][-1]["type"] == "ValueError"


def test_one_event_per_error_no_duplicates_from_logging(sent):
    _, events, _, _ = sent
    assert len(events) == 3
