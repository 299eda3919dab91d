"""Liveness and readiness probes."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration

from paytungan.ops import health


def test_live_answers_without_database(client):
    response = client.get("/api/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_and_migrations(db, client):
    response = client.get("/api/health/ready")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_probes_answer_for_any_host_header(db, client):
    for path in ("/api/health/live", "/api/health/ready"):
        response = client.get(path, HTTP_HOST="unknown.example")
        assert response.status_code == 200


def test_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"


# --- readiness failures --------------------------------------------------------------------------


@pytest.fixture
def fresh_probe(monkeypatch):
    """The probe remembers once migrations were seen applied; start each test without that."""
    monkeypatch.setattr(health, "_migrations_seen_applied", False)


def _assert_unavailable(response, reason_part: str) -> dict:
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "unavailable"
    assert reason_part in body["reason"]
    # Also in the API's error shape, like every other 5xx under /api/.
    assert body["error"]["code"] == "unavailable"
    assert body["error"]["message"] == body["reason"]
    return body


def test_ready_is_503_naming_unapplied_migrations(db, client, monkeypatch, fresh_probe):
    pending = Migration("0099_pending", "accounts")
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)]
    )
    body = _assert_unavailable(client.get("/api/health/ready"), "1 unapplied migration")
    assert body["pending"] == ["accounts.0099_pending"]
    assert body["error"]["details"]["pending"] == ["accounts.0099_pending"]


def test_ready_recovers_once_migrations_are_applied(db, client, monkeypatch, fresh_probe):
    plan = [(Migration("0099_pending", "accounts"), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: plan)
    assert client.get("/api/health/ready").status_code == 503
    plan.clear()
    assert client.get("/api/health/ready").status_code == 200
    # Remembered: later probes no longer read the migration graph.
    monkeypatch.setattr(
        MigrationExecutor,
        "migration_plan",
        lambda self, targets: pytest.fail("migration graph read again"),
    )
    assert client.get("/api/health/ready").status_code == 200


class _UnreachableDatabase:
    in_atomic_block = False

    def __init__(self) -> None:
        self.closed = False

    def cursor(self):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: timeout')

    def close_if_unusable_or_obsolete(self) -> None:
        self.closed = True


def test_ready_is_503_when_the_database_is_unreachable(client, monkeypatch, fresh_probe):
    fake = _UnreachableDatabase()
    monkeypatch.setattr(health, "connection", fake)
    body = _assert_unavailable(client.get("/api/health/ready"), "database unreachable")
    assert body["reason"] == "database unreachable: OperationalError"
    assert "10.0.0.5" not in str(body)  # no connection details leak to the caller
    assert fake.closed  # the broken connection is dropped so the next probe reconnects


def test_ready_fails_closed_on_an_unexpected_error(client, monkeypatch, fresh_probe):
    class Broken(_UnreachableDatabase):
        def cursor(self):
            raise RuntimeError("surprise")

    monkeypatch.setattr(health, "connection", Broken())
    _assert_unavailable(client.get("/api/health/ready"), "readiness check failed")


def test_live_is_200_even_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _UnreachableDatabase())
    response = client.get("/api/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_need_no_login_session_or_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/api/health/live", "/api/health/ready", "/api/health/live/"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8080")
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response


def test_probes_answer_head(db, client):
    assert client.head("/api/health/ready").status_code == 200
