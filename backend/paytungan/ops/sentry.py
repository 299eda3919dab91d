"""Sentry set-up. Filled in by the error-monitoring work (issue 6); a no-op without SENTRY_DSN."""

from __future__ import annotations


def init_sentry(*, debug: bool) -> None:
    return None
