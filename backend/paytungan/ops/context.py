"""Per-request context shared by logging (and, later, error reporting)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from_header(value: str | None) -> str:
    """Trust a caller's X-Request-ID only when it is short and plain, so logs can't be forged."""
    if value and _SAFE_ID.match(value):
        return value
    return uuid.uuid4().hex
