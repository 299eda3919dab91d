"""Small helpers for reading untrusted webhook JSON without KeyError/TypeError surprises."""

from __future__ import annotations

import re
from typing import Any


class PayloadError(ValueError):
    """The body is JSON but not the documented shape (answered 400, nothing stored)."""


def obj(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{name} must be an object")
    return value


def maybe_obj(value: Any) -> dict[str, Any]:
    """An optional object: {} when absent or not an object."""
    return value if isinstance(value, dict) else {}


def text(value: Any, default: str = "") -> str:
    """A display string from a scalar; objects and lists become the default."""
    if value is None or isinstance(value, dict | list):
        return default
    return str(value).strip()


def required_id(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise PayloadError(f"{name} is required")
    return str(value).strip()


def tag(tags: Any, key: str) -> str:
    """A tag from Sentry's event tags: [[k, v], ...], [{"key", "value"}, ...] or {k: v}."""
    if isinstance(tags, dict):
        return text(tags.get(key))
    if isinstance(tags, list):
        for item in tags:
            if isinstance(item, list | tuple) and len(item) == 2 and item[0] == key:
                return text(item[1])
            if isinstance(item, dict) and item.get("key") == key:
                return text(item.get("value"))
    return ""


_SLUG_IN_EVENT_URL = re.compile(r"/projects/[^/]+/([^/]+)/events/")


def project_slug_from_event_url(url: str) -> str:
    match = _SLUG_IN_EVENT_URL.search(url)
    return match.group(1) if match else ""


def web_url(value: Any) -> str:
    url = text(value)
    return url if url.startswith(("https://", "http://")) else ""
