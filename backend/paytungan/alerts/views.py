"""The relay's webhooks: authenticate, parse, store in the outbox, answer. Delivery to Discord
happens after the answer (outbox + kick), so a slow Discord never slows Sentry down.

Plain Django views, not the Ninja API: they take raw bodies (the signature is over the exact
bytes), answer in the API's error shape, and must work in the relay-only service.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from paytungan.alerts import fallback, outbox, spool, verify
from paytungan.alerts.kick import kick_delivery
from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.parsers import PayloadError, legacy, sentry, uptime
from paytungan.common.errors import error_response
from paytungan.ops.reporting import report_unexpected

logger = logging.getLogger("paytungan.alerts")

# Sentry events with long stack traces are large; far above that is not a Sentry webhook.
MAX_BODY_BYTES = 5 * 1024 * 1024


def _logged(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """An unexpected error still answers in the error shape, and is logged once with its
    traceback (one JSON line, logger paytungan.errors) and reported to Sentry, under the API's
    settings as under the relay's."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        try:
            return view(request)
        except Exception as exc:
            report_unexpected(exc, what="alert webhook failed", path=request.path)
            return error_response(500, "server_error", "Something went wrong on our side.")

    return wrapper


@csrf_exempt
@require_POST
@_logged
def sentry_hook(request: HttpRequest) -> HttpResponse:
    try:
        body = _read_body(request)
        resource = request.headers.get("Sentry-Hook-Resource", "").strip()
        if resource:
            _check_signed(request, body)
            return _accept(
                request, lambda: sentry.parse(resource, _json(body)), body, resource=resource
            )
        # Unsigned: only the legacy webhook plugin, and only with the shared token in the URL.
        _check_token(request)
        return _accept(request, lambda: legacy.parse(_json(body)), body, resource="legacy")
    except verify.Rejected as exc:
        return _reject(request, exc)
    except PayloadError as exc:
        return _reject(request, verify.Rejected(400, "bad_payload", str(exc)))


@csrf_exempt
@require_POST
@_logged
def uptime_hook(request: HttpRequest) -> HttpResponse:
    try:
        body = _read_body(request)
        _check_token(request)
        return _accept(
            request, lambda: uptime.parse(_json(body)), body, resource="uptime", source="uptime"
        )
    except verify.Rejected as exc:
        return _reject(request, exc)
    except PayloadError as exc:
        return _reject(request, verify.Rejected(400, "bad_payload", str(exc)))


def _accept(
    request: HttpRequest,
    parse: Callable[[], list[NormalizedAlert]],
    body: bytes,
    *,
    resource: str,
    source: str = "sentry",
) -> HttpResponse:
    """Parse and store an authenticated body. A malformed one (PayloadError) is the sender's
    400; anything else raised here is a bug of ours, and the alert must not be lost for it
    (Sentry never retries): a fallback alert is stored instead (alerts/fallback.py), and the
    bug logged with its traceback. Only when that fails too does the caller answer 500."""
    try:
        return _store(parse(), body, resource=resource)
    except (PayloadError, verify.Rejected):
        raise
    except Exception as exc:
        report_unexpected(
            exc, what="alert webhook unreadable; a fallback alert is stored", path=request.path
        )
        alert = fallback.unreadable(body=body, error=exc, resource=resource, source=source)
        response = _store([alert], body, resource=resource)
        if response.status_code == 202:
            stored = json.loads(response.content)
            response = JsonResponse(stored | {"fallback": type(exc).__name__}, status=202)
        return response


def _read_body(request: HttpRequest) -> bytes:
    # Read from the stream, not request.body: that is capped by MAX_REQUEST_BYTES (1 MiB), which
    # suits the API but not a Sentry event carrying a full stack trace.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0 or length > MAX_BODY_BYTES:
        raise verify.Rejected(413, "payload_too_large", f"Body over {MAX_BODY_BYTES} bytes.")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise verify.Rejected(413, "payload_too_large", f"Body over {MAX_BODY_BYTES} bytes.")
    return body


def _check_signed(request: HttpRequest, body: bytes) -> None:
    secrets: list[str] = settings.SENTRY_WEBHOOK_SECRETS
    if not secrets:
        raise verify.Rejected(503, "not_configured", "SENTRY_WEBHOOK_SECRET is not set.")
    verify.check_timestamp(
        request.headers.get("Sentry-Hook-Timestamp"),
        now=time.time(),
        max_age=settings.ALERT_HOOK_MAX_AGE_SECONDS,
    )
    verify.check_sentry_signature(body, request.headers.get("Sentry-Hook-Signature"), secrets)


def _check_token(request: HttpRequest) -> None:
    expected: str = settings.ALERT_HOOK_TOKEN
    if not expected:
        raise verify.Rejected(503, "not_configured", "ALERT_HOOK_TOKEN is not set.")
    given = verify.token_from_request(
        request.GET.get("token"), request.headers.get("Authorization")
    )
    if not verify.token_matches(given, expected):
        raise verify.Rejected(401, "bad_token", "A valid ?token= is required.")


def _json(body: bytes) -> Any:
    # Signed bytes are Sentry's, so what can be read is kept rather than refused (Sentry never
    # retries): bytes that are not UTF-8 become U+FFFD, and an integer past int()'s digit limit
    # (ValueError over 4300 digits) stays its digits.
    try:
        text = body.decode(json.detect_encoding(body), "replace")
        return json.loads(text, parse_int=_parse_int)
    except (ValueError, UnicodeDecodeError, LookupError):
        raise PayloadError("body is not JSON") from None
    except RecursionError:
        # json.loads recurses per nesting level; no webhook nests anywhere near Python's limit.
        raise PayloadError("body is nested too deeply") from None


_MAX_INT_DIGITS = 4000  # below sys.get_int_max_str_digits() (4300)


def _parse_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else digits


def _store(alerts: list[NormalizedAlert], body: bytes, *, resource: str) -> HttpResponse:
    if not alerts:
        return JsonResponse({"stored": 0, "ignored": resource}, status=200)
    digest = hashlib.sha256(body).hexdigest()
    try:
        receipt = outbox.receive(alerts, body_digest=digest)
    except DatabaseError:
        # The database is down or slower than the statement timeout. Sentry would drop any
        # answer but a 2xx, so keep the alert on disk and accept it (docs/decisions/0011).
        logger.exception("could not store an alert; spooled", extra={"resource": resource})
        return _spool(alerts, digest, resource)
    if receipt.duplicate:
        return JsonResponse({"stored": 0, "duplicate": True}, status=200)
    return JsonResponse({"stored": receipt.stored, "folded": receipt.folded}, status=202)


def _spool(alerts: list[NormalizedAlert], digest: str, resource: str) -> HttpResponse:
    try:
        spool.write(alerts, digest=digest, resource=resource)
    except OSError:
        logger.exception("could not spool an alert either", extra={"resource": resource})
        return error_response(503, "unavailable", "The alert could not be stored; retry.")
    if settings.ALERT_DELIVER_ON_RECEIVE:
        kick_delivery()
    return JsonResponse({"stored": 0, "spooled": len(alerts)}, status=202)


def _reject(request: HttpRequest, exc: verify.Rejected) -> HttpResponse:
    log = logger.error if exc.status >= 500 else logger.warning
    log("webhook rejected: %s", exc.code, extra={"path": request.path, "status": exc.status})
    return error_response(exc.status, exc.code, exc.message)
