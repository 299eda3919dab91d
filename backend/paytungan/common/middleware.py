"""Keeps every error under /api/ in the documented shape, including ones Django answers itself."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paytungan.common.errors import error_response

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


# What Django itself answers with under /api/ (an unknown URL, a proxy's 5xx...), translated.
_STATUS_MESSAGES = {
    400: gettext_lazy("Bad request."),
    401: gettext_lazy("Unauthorized."),
    403: gettext_lazy("Forbidden."),
    404: gettext_lazy("Not found."),
    413: gettext_lazy("Request entity too large."),
    415: gettext_lazy("Unsupported media type."),
    429: gettext_lazy("Too many requests."),
    500: gettext_lazy("Internal server error."),
    502: gettext_lazy("Bad gateway."),
    503: gettext_lazy("Service unavailable."),
}

_BODY_HEADERS = {"content-type", "content-length", "content-encoding"}
# Uploads bigger than the JSON limit: multipart, streamed by Django's parser (never read into
# request.body), the file itself checked against its limit (the setting named here) by the
# handler.
_UPLOADS = (
    (re.compile(r"^/api/groups/\d+/receipts/scan$"), "RECEIPT_MAX_BYTES"),
    (re.compile(r"^/api/groups/\d+/imports(/preview)?$"), "IMPORT_MAX_BYTES"),
)


def _upload_limit(path: str) -> int | None:
    for pattern, setting in _UPLOADS:
        if pattern.match(path):
            return int(getattr(settings, setting))
    return None


_MULTIPART_SLACK = 64 * 1024


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _already_shaped(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict)


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            upload_limit = _upload_limit(request.path)
            upload = upload_limit is not None
            too_big = self._reject_oversized(request, upload_limit=upload_limit)
            if too_big is not None:
                return too_big
            if not upload:
                # Read the body now: CsrfViewMiddleware may parse request.POST for a
                # form-encoded or multipart request, after which Ninja could no longer read
                # request.body.
                __ = request.body
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and not response.streaming
            and not _already_shaped(response)
        ):
            return self._reshape(response)
        return response

    @staticmethod
    def _reject_oversized(request: HttpRequest, *, upload_limit: int | None) -> HttpResponse | None:
        # Checked from the header so a 10 MB body is refused before anything reads it.
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return error_response(400, "bad_request", _("Content-Length is not a number."))
        limit = (
            upload_limit + _MULTIPART_SLACK
            if upload_limit is not None
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return error_response(
                413,
                "payload_too_large",
                _("Request body is {length} bytes; the limit is {limit}.").format(
                    length=length, limit=limit
                ),
                {"limit": limit},
            )
        return None

    @staticmethod
    def _reshape(response: HttpResponse) -> HttpResponse:
        status = response.status_code
        known = _STATUS_MESSAGES.get(status)
        if known is not None:
            message = str(known)
        else:
            try:
                message = HTTPStatus(status).phrase + "."
            except ValueError:
                message = _("Error.")
        if status == 405:
            allowed = response.get("Allow", "")
            shaped = error_response(
                405, "method_not_allowed", _("Method not allowed."), {"allowed": allowed}
            )
        else:
            shaped = error_response(status, _CODES.get(status, "error"), str(message))
        # Keep what the inner layers added (Allow, Retry-After, X-Frame-Options, Vary, cookies):
        # only the body and its type change.
        for header, value in response.items():
            if header.lower() not in _BODY_HEADERS:
                shaped[header] = value
        shaped.cookies = response.cookies
        return shaped
