"""Removes secrets and personal data from anything sent to Sentry (events, breadcrumbs).

Two rules, applied to the whole event tree rather than to a list of known places, because data
turns up where nobody expected it (a local variable in a stack frame, a repr in an exception
message, a query string in a breadcrumb):

1. A value under a sensitive key (password, token, cookie, authorization, email, payout account
   number, ...) is replaced whole, whatever its type.
2. Every string is searched for emails, bearer credentials, invite codes in paths, and
   `key=value` / `"key": "value"` pairs with a sensitive key.

The frontend mirrors these rules (docs/operations.md, "Sentry scrubbing rules").
"""

from __future__ import annotations

import re
from typing import Any

FILTERED = "[Filtered]"
_MAX_DEPTH = 30

# Matched against the key lower-cased with everything but letters and digits removed, so
# "X-CSRFToken", "csrf_token" and "csrfToken" are all "csrftoken".
_SENSITIVE_KEY = re.compile(
    r"password|passwd|passphrase|secret|token|apikey|privatekey|credential|authorization"
    r"|auth(?!or)|cookie|session|csrf|email|accountnumber|accountname|iban|cardnumber|dsn$"
)
# The same names as they appear inside free text ("password='x'", "token=abc&").
_TEXT_KEYS = (
    r"password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|authorization"
    r"|cookie|sessionid|session_key|csrf\w*|e-?mail|account_(?:number|name)|iban|card_number"
)
_KEY_VALUE = re.compile(
    r"(?P<key>[\w.-]*(?:" + _TEXT_KEYS + r")[\w.-]*)"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?:(?P<q>[\"'])(?:\\.|(?!(?P=q)).)*(?P=q)|[^\s\"'&,;)}\]]+)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_BEARER = re.compile(r"\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE)
# Invite codes are bearer secrets that live in URLs (/api/invites/{code}).
_INVITE_PATH = re.compile(r"(/invites/)[^/?#\s\"']+")


def is_sensitive_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    return bool(_SENSITIVE_KEY.search(re.sub(r"[^a-z0-9]", "", key.lower())))


def scrub_text(text: str) -> str:
    def _kv(match: re.Match[str]) -> str:
        quote = match.group("q") or ""
        return f"{match.group('key')}{match.group('sep')}{quote}{FILTERED}{quote}"

    # Credentials first: "Authorization: Bearer x" would otherwise lose only the word Bearer.
    text = _BEARER.sub(lambda m: f"{m.group(1)} {FILTERED}", text)
    text = _KEY_VALUE.sub(_kv, text)
    text = _INVITE_PATH.sub(rf"\1{FILTERED}", text)
    return _EMAIL.sub("[email]", text)


def scrub(value: Any, depth: int = 0) -> Any:
    """A scrubbed copy of a JSON-like tree (dicts, lists, tuples, strings, scalars)."""
    if depth > _MAX_DEPTH:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: (
                FILTERED
                if is_sensitive_key(key) and value[key] not in (None, "", [], {})
                else scrub(value[key], depth + 1)
            )
            for key in value
        }
    if isinstance(value, list | tuple):
        # Header and tag lists come as [name, value] pairs: judge the value by the name.
        if len(value) == 2 and is_sensitive_key(value[0]):
            return [value[0], FILTERED]
        return [scrub(item, depth + 1) for item in value]
    return value


def scrub_event(event: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = scrub(event)
    request = cleaned.get("request")
    if isinstance(request, dict):
        # Cookies carry the session and CSRF token; none of them helps to debug an error.
        request.pop("cookies", None)
    user = cleaned.get("user")
    if isinstance(user, dict):
        # Only an opaque id: never email, username, name or IP address.
        cleaned["user"] = {"id": user["id"]} if user.get("id") not in (None, "") else {}
    return cleaned


def scrub_breadcrumb(crumb: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = scrub(crumb)
    return cleaned
