"""Authenticating webhook requests before their bodies are even parsed.

Sentry signs the raw body with the integration's client secret (HMAC-SHA256, hex, in
Sentry-Hook-Signature) and sends the time of sending in Sentry-Hook-Timestamp (Unix seconds).
Every comparison of a secret is constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math


class Rejected(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def sentry_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_sentry_signature(body: bytes, signature: str | None, secrets: list[str]) -> None:
    """Accepts a signature made with any of `secrets` (two during a rotation)."""
    if not signature:
        raise Rejected(401, "unsigned", "Sentry-Hook-Signature is missing.")
    given = signature.strip().lower().encode()
    # Compare against every secret, not stopping at the first match, so timing says nothing
    # about which secret matched.
    matches = [
        hmac.compare_digest(sentry_signature(body, secret).encode(), given) for secret in secrets
    ]
    if not any(matches):
        raise Rejected(401, "bad_signature", "Sentry-Hook-Signature does not match.")


def check_timestamp(value: str | None, *, now: float, max_age: float) -> None:
    """Rejects a request sent more than `max_age` seconds ago (or as far in the future)."""
    try:
        sent = float((value or "").strip())
    except ValueError:
        sent = math.nan
    if not math.isfinite(sent):
        raise Rejected(401, "bad_timestamp", "Sentry-Hook-Timestamp is missing or not a number.")
    if abs(now - sent) > max_age:
        raise Rejected(401, "stale", "Sentry-Hook-Timestamp is too old (or in the future).")


def token_matches(given: str | None, expected: str) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def token_from_request(query_token: str | None, authorization: str | None) -> str | None:
    """The shared token from `?token=` or, for channels that support it (Cloud Monitoring's
    basic-auth webhook), from the password of HTTP Basic auth."""
    if query_token:
        return query_token
    if authorization and authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None
