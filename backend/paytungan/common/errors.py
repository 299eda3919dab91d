"""The API's error shape, one place: {"error": {"code", "message", "details"}}.

Services raise these typed errors; the API layer turns them into responses. Anything raised here is
an expected, handled condition (a 4xx), so it is never reported to Sentry.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from paytungan.common.i18n import localize


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details or {}


class BadRequest(ApiError):
    status = 400
    code = "bad_request"


class NotAuthenticated(ApiError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class Invalid(ApiError):
    """Well-formed but invalid input (422). `fields` maps dotted paths to messages."""

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code, details={"fields": fields} if fields else None)


class Throttled(ApiError):
    status = 429
    code = "throttled"

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message or _("Too many requests."), details={"retry_after": retry_after})
        self.retry_after = retry_after


def field_error(path: str, message: str, *, code: str | None = None) -> Invalid:
    return Invalid(message, fields={path: [message]}, code=code)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    # Messages of the pure core (Text) are translated here, in the request's language.
    return {
        "error": {"code": code, "message": localize(message), "details": localize(details or {})}
    }


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> JsonResponse:
    response = JsonResponse(error_body(code, message, details), status=status)
    if status == 429 and details and "retry_after" in details:
        response["Retry-After"] = str(details["retry_after"])
    return response


def api_error_response(exc: ApiError) -> JsonResponse:
    return error_response(exc.status, exc.code, exc.message, exc.details)


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return error_response(
        403,
        "csrf_failed",
        _("CSRF check failed: fetch GET /api/auth/csrf and send its token as X-CSRFToken."),
        {"reason": reason} if reason else None,
    )
