"""Liveness and readiness, answered before any other middleware (no Host check, no session)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)
_migrations_seen_applied = False


def drop_broken_connection() -> None:
    """Close the connection if it is broken, so the next probe reconnects. Never inside an
    atomic block (a test's transaction): closing there would break the caller's transaction."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def live() -> tuple[int, dict[str, Any]]:
    return 200, {"status": "ok"}


def _unavailable(reason: str, **details: Any) -> tuple[int, dict[str, Any]]:
    # Flat `status`/`reason` for probes and people; `error` is the API's error shape.
    return 503, {
        "status": "unavailable",
        "reason": reason,
        **details,
        "error": {"code": "unavailable", "message": reason, "details": details},
    }


def ready() -> tuple[int, dict[str, Any]]:
    global _migrations_seen_applied  # a per-process memo, only ever set to True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_seen_applied:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                pending = [f"{m.app_label}.{m.name}" for m, _ in plan]
                return _unavailable(f"{len(pending)} unapplied migration(s)", pending=pending[:20])
            # Migrations never un-apply under a running process; stop re-reading the graph.
            _migrations_seen_applied = True
    except DatabaseError as exc:
        # A connection in a broken state would fail every later probe too; drop it.
        drop_broken_connection()
        return _unavailable(f"database unreachable: {type(exc).__name__}")
    except Exception as exc:
        # A probe fails closed: whatever went wrong, this instance should not get traffic.
        logger.exception("readiness check failed")
        drop_broken_connection()
        return _unavailable(f"readiness check failed: {type(exc).__name__}")
    return 200, {"status": "ok", "database": "ok"}
