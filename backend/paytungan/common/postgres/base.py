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

from django.db.backends.postgresql import base
from psycopg import pq

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):
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
