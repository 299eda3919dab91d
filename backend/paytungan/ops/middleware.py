"""Health probes and the one-JSON-line-per-request log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from paytungan.ops import health
from paytungan.ops.context import client_ip_of, request_id_from_header, request_id_var, user_id_var
from paytungan.ops.logging import write_direct

logger = logging.getLogger("paytungan.request")

_PROBES: dict[str, Callable[[], tuple[int, dict[str, object]]]] = {
    "/api/health/live": health.live,
    "/api/health/ready": health.ready,
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = _PROBES.get(request.path.rstrip("/"))
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        status, body = probe()
        if probe is health.ready:
            health.drop_broken_connection()
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from_header(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        rid_token = request_id_var.set(request_id)
        uid_token = user_id_var.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(rid_token)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response["X-Request-ID"] = request_id
        self._log(request, response, request_id, duration_ms)
        user_id_var.reset(uid_token)
        return response

    @staticmethod
    def _log(
        request: HttpRequest, response: HttpResponse, request_id: str, duration_ms: float
    ) -> None:
        # The API's auth sets user_id_var (Bearer or session); it still holds the id after
        # DELETE /api/me has logged the user out. Otherwise fall back to the session's user.
        user_id = user_id_var.get()
        if user_id is None:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
        log_request(
            meta=request.META,
            method=request.method or "",
            path=request.path,
            status=response.status_code,
            duration_ms=duration_ms,
            request_id=request_id,
            user_id=user_id,
            request_size=len(request.body) if _body_read(request) else 0,
            response_size=None if response.streaming else len(response.content),
        )


def log_request(
    *,
    meta: Mapping[str, Any],
    method: str,
    path: str,
    status: int,
    duration_ms: float,
    request_id: str,
    user_id: int | None,
    request_size: int,
    response_size: int | None,
) -> None:
    """The request's one JSON line (Cloud Logging's httpRequest fields). `path` only: query
    strings can carry invite codes or tokens."""
    severity = (
        logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    )
    if not logger.isEnabledFor(severity):
        return
    message = f"{method} {path} {status} {duration_ms}ms"
    fields = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        "request_id": request_id,
        "user_id": user_id,
        "httpRequest": {
            "requestMethod": method,
            "requestUrl": path,
            "status": status,
            "latency": f"{duration_ms / 1000:.6f}s",
            "userAgent": str(meta.get("HTTP_USER_AGENT", ""))[:200],
            # The client, not the last proxy (same NUM_PROXIES rule as throttling).
            "remoteIp": client_ip_of(meta),
            "requestSize": str(request_size),
            "responseSize": str(response_size) if response_size is not None else None,
        },
    }
    if not write_direct(logger, severity, message, fields):
        logger.log(severity, message, extra=fields)


def _body_read(request: HttpRequest) -> bool:
    return hasattr(request, "_body")
