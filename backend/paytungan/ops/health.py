"""Liveness and readiness, answered before any other middleware (no Host check, no session)."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

_migrations_seen_applied = False


def live() -> tuple[int, dict[str, Any]]:
    return 200, {"status": "ok"}


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
                return 503, {
                    "status": "unavailable",
                    "reason": f"{len(pending)} unapplied migration(s)",
                    "pending": pending[:20],
                }
            # Migrations never un-apply under a running process; stop re-reading the graph.
            _migrations_seen_applied = True
    except DatabaseError as exc:
        # A connection in a broken state would fail every later probe too; drop it.
        connection.close_if_unusable_or_obsolete()
        return 503, {
            "status": "unavailable",
            "reason": f"database unreachable: {type(exc).__name__}",
        }
    return 200, {"status": "ok", "database": "ok"}
