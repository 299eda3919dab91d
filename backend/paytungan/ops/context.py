"""Per-request context shared by logging and error reporting, and who the caller is on the
network (behind the trusted proxies)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from_header(value: str | None) -> str:
    """Trust a caller's X-Request-ID only when it is short and plain, so logs can't be forged."""
    if value and _SAFE_ID.match(value):
        return value
    return uuid.uuid4().hex


def client_ip(request: HttpRequest) -> str:
    return client_ip_of(request.META)


def client_ip_of(meta: Mapping[str, Any]) -> str:
    """The caller's address. Behind N trusted proxies the N-th address from the right of
    X-Forwarded-For is the one the first proxy saw; anything left of it the client can forge."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [p.strip() for p in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(meta.get("REMOTE_ADDR", "unknown"))
