"""The health check of paytungan.common.postgres: no round trip while the connection is idle and
fine; a connection the server has closed is found and replaced before the request's first query."""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend"),
]


class _NoRoundTrip(Exception):
    pass


def _forbid_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.postgresql import base as django_base

    def refuse(self: object) -> bool:
        raise _NoRoundTrip

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", refuse)


def test_an_idle_healthy_connection_is_usable_without_asking_the_server(monkeypatch):
    connection.ensure_connection()
    _forbid_round_trip(monkeypatch)
    assert connection.is_usable() is True


def test_a_connection_the_server_closed_is_not_usable_and_is_replaced():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's FATAL message and FIN arrive asynchronously
    assert connection.is_usable() is False
    # What Django does at the start of a request: check, close, reconnect on first use.
    # Django's own flags (BaseDatabaseWrapper.__init__), missing from django-stubs.
    connection.health_check_enabled = True  # type: ignore[attr-defined]
    connection.health_check_done = False  # type: ignore[attr-defined]
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_inside_a_transaction_the_round_trip_decides(monkeypatch):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            _forbid_round_trip(monkeypatch)
            with pytest.raises(_NoRoundTrip):
                connection.is_usable()
        finally:
            monkeypatch.undo()
            cursor.execute("ROLLBACK")
