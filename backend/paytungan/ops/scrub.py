"""Removes secrets and personal data from anything sent to Sentry (events, breadcrumbs).

Two rules, applied to the whole event tree rather than to a list of known places, because data
turns up where nobody expected it (a local variable in a stack frame, a repr in an exception
message, a query string in a breadcrumb):

1. A value under a sensitive key (password, token, cookie, authorization, email, payout account
   number, ...) is replaced whole, whatever its type.
2. Every string is searched for emails, bearer credentials, personal access tokens (`pyt_...`),
   invite codes in paths (/api/invites/<code>, /join/<code>), bank account or phone numbers
   (10 digits or more), model reprs (`<User: Ayu <ayu@...>>` -> `<User: [Filtered]>`), and
   `key=value` / `"key": "value"` pairs with a sensitive key.
3. Inside stack-frame variables, display names are personal data too: `name`, `display_name`,
   `actor_name` ... are replaced, as variables and as `name='...'` inside a repr.

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
    r"|invitecode|inviteurl|joinurl"
)
# Frame variables only: local names that hold a person's display name.
_NAME_PREFIXES = r"display|actor|user|full|first|last|member|guest|payer|receiver|owner|creator"
_NAME_KEY = re.compile(rf"^(?:{_NAME_PREFIXES})?names?$")
_NAME_VALUE = re.compile(
    rf"\b(?P<key>(?:(?:{_NAME_PREFIXES})_?)?name)"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?:(?P<q>[\"'])(?:\\.|(?!(?P=q)).)*(?P=q)|[^\s\"'&,;)}\]]+)",
    re.IGNORECASE,
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
# Invite codes are bearer secrets that live in URLs: the API's /api/invites/{code} and the
# app's /join/{code} (the frontend's Sentry events, and the Referer of API requests), also
# percent-encoded inside a query string (the login page's ?next=%2Fjoin%2F<code>).
_INVITE_PATH = re.compile(r"((?:/|%2F)(?:invites|join)(?:/|%2F))[^/?#&%\s\"'<>]+", re.IGNORECASE)
# A personal access token pasted anywhere (accounts/tokens.py: pyt_ + url-safe base64).
_PAT = re.compile(r"\bpyt_[A-Za-z0-9_-]{4,}")
# Bank account and phone numbers: 10+ digits, plain or in groups ("0812-3456-7890", Mandiri's
# "123-00-1234567-8", "1234 5678 90"). Amounts under a billion, dates and times stay readable
# (a date has 8 digits; amounts in prose are not joined by single spaces in groups of 2-4);
# digits inside a word (hex ids) are left alone.
_MIN_ACCOUNT_DIGITS = 10
_LONG_NUMBER = re.compile(
    r"(?<![\w.])(?:\d{10,}|\d{1,7}(?:-\d{1,7}){1,5}|\d{2,4}(?: \d{2,4}){2,5})(?![\w.]|-\d)"
)
# A Django model's repr is <Class: str(obj)>, and str() of a user, member or group is a name
# (and an email): the class stays, the text goes. One level of <...> inside ("Ayu <a@b.co>").
_MODEL_REPR = re.compile(r"<(?P<cls>[A-Z][\w.]*): (?:[^<>\n]|<[^<>\n]*>)*>")


def is_sensitive_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    return bool(_SENSITIVE_KEY.search(re.sub(r"[^a-z0-9]", "", key.lower())))


def scrub_text(text: str) -> str:
    # Credentials first: "Authorization: Bearer x" would otherwise lose only the word Bearer.
    text = _BEARER.sub(lambda m: f"{m.group(1)} {FILTERED}", text)
    text = _PAT.sub(FILTERED, text)
    text = _MODEL_REPR.sub(_repr, text)
    text = _KEY_VALUE.sub(_kv, text)
    text = _INVITE_PATH.sub(rf"\1{FILTERED}", text)
    text = _LONG_NUMBER.sub(_number, text)
    return _EMAIL.sub("[email]", text)


def _kv(match: re.Match[str]) -> str:
    quote = match.group("q") or ""
    return f"{match.group('key')}{match.group('sep')}{quote}{FILTERED}{quote}"


def _number(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return FILTERED if digits >= _MIN_ACCOUNT_DIGITS else match.group(0)


def _repr(match: re.Match[str]) -> str:
    cls = match.group("cls")
    # A request's or response's repr is a method and a path, scrubbed by the rules above.
    if cls.endswith(("Request", "Response")):
        return match.group(0)
    return f"<{cls}: {FILTERED}>"


def _scrub_frame_vars(variables: dict[Any, Any], depth: int) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for key, value in variables.items():
        norm = re.sub(r"[^a-z0-9]", "", key.lower()) if isinstance(key, str) else ""
        if value not in (None, "", [], {}) and (is_sensitive_key(key) or _NAME_KEY.match(norm)):
            out[key] = FILTERED
            continue
        cleaned = scrub(value, depth + 1)
        if isinstance(cleaned, str):
            cleaned = _NAME_VALUE.sub(_kv, cleaned)
        out[key] = cleaned
    return out


def scrub(value: Any, depth: int = 0) -> Any:
    """A scrubbed copy of a JSON-like tree (dicts, lists, tuples, strings, scalars)."""
    if depth > _MAX_DEPTH:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        frames = value.get("frames")
        if isinstance(frames, list):
            # A stacktrace: its frames' local variables get the display-name rule as well.
            value = {
                **value,
                "frames": [
                    {**f, "vars": _scrub_frame_vars(f["vars"], depth + 2)}
                    if isinstance(f, dict) and isinstance(f.get("vars"), dict)
                    else f
                    for f in frames
                ],
            }
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
