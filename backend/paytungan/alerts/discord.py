"""Posting one message to a Discord webhook, with the stdlib only (the relay stays light).

Returns what happened rather than raising: the caller decides between delete, retry, pause and
dead. Discord's rate-limit answer: 429 with `Retry-After` (seconds) and a JSON body
`{"retry_after": <seconds, float>, "global": bool}`; healthy answers carry
`X-RateLimit-Remaining` / `X-RateLimit-Reset-After` so a sender can pause before a 429.

Every message is posted with `?wait=true`: without it Discord answers 204 before the message is
saved, and "a message that is not saved does not return an error" (Execute Webhook), so a 2xx
would not prove delivery and the outbox would delete an alert nobody sees. With it, the answer
is 200 with the created message, or an error the caller retries.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

USER_AGENT = "PaytunganAlertRelay (https://github.com/paytungan, 1)"


@dataclass(frozen=True)
class DiscordResponse:
    status: int | None  # None: no answer (timeout, refused, reset)
    retry_after: float | None = None  # from a 429
    remaining: int | None = None  # X-RateLimit-Remaining
    reset_after: float | None = None  # X-RateLimit-Reset-After
    detail: str = ""  # a short reason for logs; never the URL

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def with_wait(url: str) -> str:
    """`url` with wait=true in its query; other parameters (thread_id) are kept."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "wait"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("wait", "true")])))


def post_message(url: str, message: dict[str, Any], *, timeout: float) -> DiscordResponse:
    data = json.dumps(message, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL was validated (https) at start-up
        with_wait(url),
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return _read(response.status, response.headers, response.read(4096))
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(4096)
        except (OSError, http.client.HTTPException):
            body = b""
        return _read(exc.code, exc.headers, body)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return DiscordResponse(status=None, detail=f"{type(exc).__name__}: {reason}"[:200])


def _read(status: int, headers: Message, body: bytes) -> DiscordResponse:
    retry_after = None
    detail = ""
    if status == 429:
        retry_after = _seconds(_json_field(body, "retry_after")) or _seconds(
            headers.get("Retry-After")
        )
    if status >= 400:
        detail = body.decode("utf-8", "replace")[:200]
    return DiscordResponse(
        status=status,
        retry_after=retry_after,
        remaining=_int(headers.get("X-RateLimit-Remaining")),
        reset_after=_seconds(headers.get("X-RateLimit-Reset-After")),
        detail=detail,
    )


def _json_field(body: bytes, name: str) -> Any:
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed.get(name) if isinstance(parsed, dict) else None


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
