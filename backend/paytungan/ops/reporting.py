"""Reporting an unexpected error that the code nevertheless handles.

A failing external call (a payment provider, an email server) usually must not fail the user's
request, so nothing propagates to Django and nothing would reach Sentry. `report_unexpected`
sends it anyway, tagged with the context that helps (group id, request id), and logs it once.
Context is ids and names only: keys that look like secrets are dropped, and every event goes
through the scrubber in ops/sentry.py.
"""

from __future__ import annotations

import logging

import sentry_sdk

from paytungan.ops.scrub import is_sensitive_key

logger = logging.getLogger("paytungan.errors")

ContextValue = str | int | float | bool | None
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def report_unexpected(
    exc: BaseException, *, what: str = "unexpected error", **context: ContextValue
) -> str | None:
    """Capture `exc` to Sentry with `context` as tags and log it. Returns the Sentry event id
    (None when Sentry is off)."""
    safe = {
        key: value
        for key, value in context.items()
        if value is not None and not is_sensitive_key(key) and key not in _RESERVED
    }
    event_id: str | None = None
    if sentry_sdk.get_client().is_active():
        with sentry_sdk.new_scope() as scope:
            for key, value in safe.items():
                scope.set_tag(key, str(value))
            scope.set_context("paytungan", dict(safe))
            event_id = sentry_sdk.capture_exception(exc)
    logger.error(
        what,
        exc_info=exc,
        extra={**safe, "reported_to_sentry": event_id is not None, "sentry_event_id": event_id},
    )
    return event_id
