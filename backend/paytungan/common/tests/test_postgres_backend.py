"""The health check of paytungan.common.postgres: no round trip while the connection is idle and
fine; a connection the server has closed is found and replaced before the request's first query."""

from __future__ import annotations

import pytest
from django.db import connection

from paytungan.common.testing import backend_pid, server_closes_connection

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
    pid = server_closes_connection()
    assert connection.is_usable() is False
    # What Django does at the start of a request: check, close, reconnect on first use.
    # Django's own flags (BaseDatabaseWrapper.__init__), missing from django-stubs.
    connection.health_check_enabled = True  # type: ignore[attr-defined]
    connection.health_check_done = False  # type: ignore[attr-defined]
    connection.close_if_health_check_failed()
    assert backend_pid() != pid


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


# --- the hot reads' prepared cursor ---------------------------------------------------------------

_HOT = "SELECT %s::int + 1"


def test_hot_reads_use_one_cursor_per_connection_and_one_prepared_statement():
    from paytungan.common.sql_reads import fetch_prepared

    assert fetch_prepared(_HOT, [1]) == [(2,)]
    first = connection._hot_cursor  # type: ignore[attr-defined]
    assert fetch_prepared(_HOT, [41]) == [(42,)]
    assert connection._hot_cursor is first  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT $1::int + 1%"],
        )
        assert cursor.fetchone()[0] == 1


def test_a_failed_hot_read_leaves_its_cursor_usable():
    from django.db import DataError

    from paytungan.common.sql_reads import fetch_prepared

    assert fetch_prepared(_HOT, [1]) == [(2,)]
    with pytest.raises(DataError):
        fetch_prepared(_HOT, [2**40])  # out of int's range
    assert fetch_prepared(_HOT, [2]) == [(3,)]


def test_a_hot_read_after_the_server_closed_the_connection_gets_a_new_cursor():
    from paytungan.common.sql_reads import fetch_prepared

    assert fetch_prepared(_HOT, [1]) == [(2,)]
    old = connection._hot_cursor  # type: ignore[attr-defined]
    server_closes_connection()
    connection.health_check_enabled = True  # type: ignore[attr-defined]
    connection.health_check_done = False  # type: ignore[attr-defined]
    assert fetch_prepared(_HOT, [5]) == [(6,)]
    assert connection._hot_cursor is not old  # type: ignore[attr-defined]
