"""Django's PostgreSQL backend with a health check that costs a poll() instead of a round trip.

Django checks a persistent connection at the start of every request with `SELECT 1`
(CONN_HEALTH_CHECKS): one extra round trip on every request, the read path's cheapest query and
a third of its database time. An idle connection has nothing to receive, so when the server has
closed it (restart, failover, idle timeout, pg_terminate_backend) its socket is readable: that is
checked locally, and only then, or when the connection is not idle, does the round trip decide.
A connection lost silently (no FIN from a dead host) fails its first query either way, as with
`SELECT 1`, which would hang until the timeout (docs/decisions/0021-request-path-fixed-cost.md).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base, operations
from django.db.backends.utils import CursorWrapper
from psycopg import pq

__all__ = ["DatabaseWrapper"]


class _PreparedCursor(base.CursorMixin, psycopg.Cursor[Any]):
    """Server-side binding, and the statement kept prepared on its connection (psycopg keeps
    the most recent `prepared_max` of them): PostgreSQL parses and plans it once."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("prepare", True)
        return super().execute(query, params, **kwargs)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        # Only asked when queries are logged (DEBUG, tests). A prepared execution leaves no
        # query text on the cursor; render it the way server-side binding does.
        if isinstance(cursor, _PreparedCursor):
            try:
                return str(self.compose_sql(sql, params))
            except psycopg.errors.DataError:
                return sql
        return super().last_executed_query(cursor, sql, params)


# Django turns psycopg's preparation off (prepare_threshold None), which also ignores an explicit
# prepare=True. Only _PreparedCursor binds on the server (Django's own cursors bind on the client
# and never prepare), so a threshold nothing reaches means: prepared when asked, never by itself.
_EXPLICIT_ONLY = 2**31 - 1


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        if conn.prepare_threshold is None:
            conn.prepare_threshold = _EXPLICIT_ONLY
        return conn

    def prepared_cursor(self) -> CursorWrapper:
        """A cursor for a fixed hot read (common/sql_reads.py, `fetch_prepared`): Django's
        cursor wrapping (execute wrappers, query logging, error translation), but the statement
        prepared once per connection, so PostgreSQL parses and plans it once (decision 0026 has
        the measured saving). Only for statements whose text never changes: psycopg prepares
        per distinct text.

        The psycopg cursor underneath is one per connection, used again by every hot read on
        it (and never closed by them): a new cursor per read set up its adapters and its
        column loaders again, 10-25 us of a 40-65 us query. A Django connection belongs to one
        thread, so the cursor does too."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            raw = getattr(self, "_hot_cursor", None)
            if raw is None or raw.connection is not self.connection or raw.closed:
                raw = self._hot_cursor = _PreparedCursor(self.connection)
            # Django's own wrapping step (django-stubs leaves it out).
            cursor: CursorWrapper = self._prepare_cursor(raw)  # type: ignore[attr-defined]
            return cursor

    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        pgconn = conn.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return bool(super().is_usable())
        try:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
            ready = poller.poll(0)
        except (OSError, ValueError):
            return False
        if not ready:
            return True
        # Something arrived on an idle connection: the server closing it, or a notice.
        return bool(super().is_usable())
