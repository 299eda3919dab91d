"""Exception handlers for the Ninja API: every error leaves in the documented shape."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from paytungan.common.errors import ApiError, api_error_response, error_response

logger = logging.getLogger("paytungan.errors")


class Report(Protocol):
    """Sends an unexpected error to Sentry and logs it (ops.reporting.report_unexpected)."""

    def __call__(self, exc: BaseException, *, what: str = ..., **context: Any) -> Any: ...


# (user=, group_id=) -> raises an ApiError (404) when the caller is not a member of the group
# (groups.access.group_for_member).
CheckMembership = Callable[..., object]

# Ninja prefixes locations with where the value came from and the parameter name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _dotted(loc: list[Any] | tuple[Any, ...], body_param_names: set[str]) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] in body_param_names:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "body"


# pydantic's own messages are English: each type it reports gets a translated message here
# (ctx holds the numbers the message names).
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not allowed here."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("Use at least {min_length} characters."),
    "string_too_long": gettext_lazy("Use at most {max_length} characters."),
    "string_pattern_mismatch": gettext_lazy("This value has the wrong format."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "greater_than": gettext_lazy("Must be greater than {gt}."),
    "greater_than_equal": gettext_lazy("Must be {ge} or more."),
    "less_than": gettext_lazy("Must be less than {lt}."),
    "less_than_equal": gettext_lazy("Must be {le} or less."),
    "literal_error": gettext_lazy("Must be one of: {expected}."),
    "enum": gettext_lazy("Must be one of: {expected}."),
    "too_short": gettext_lazy("Give at least {min_length}."),
    "too_long": gettext_lazy("Give at most {max_length}."),
    "list_type": gettext_lazy("Must be a list."),
    "model_type": gettext_lazy("Must be an object."),
    "model_attributes_type": gettext_lazy("Must be an object."),
    "dict_type": gettext_lazy("Must be an object."),
    "date_type": gettext_lazy('Enter a date like "2026-11-20".'),
    "date_parsing": gettext_lazy('Enter a date like "2026-11-20".'),
    "date_from_datetime_parsing": gettext_lazy('Enter a date like "2026-11-20".'),
    "json_invalid": gettext_lazy("This is not valid JSON."),
}


def _message(error: dict[str, Any]) -> Any:
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, Exception):
        # Raised by our validators: a gettext message, or the core's Text (localized later).
        return getattr(cause, "message", None) or str(cause)
    template = _PYDANTIC_MESSAGES.get(str(error.get("type")))
    if template is not None:
        try:
            return str(template).format(**ctx)
        except (KeyError, IndexError, ValueError):
            return str(template)
    if get_language() == "en":
        msg = str(error.get("msg", "Invalid value."))
        # pydantic prefixes errors raised in validators with "Value error, ".
        return msg.removeprefix("Value error, ")
    return _("Invalid value.")


def validation_fields(exc: ValidationError) -> dict[str, list[Any]]:
    fields: dict[str, list[Any]] = {}
    for error in exc.errors:
        path = _dotted(error.get("loc", ()), {"payload"})
        fields.setdefault(path, []).append(_message(error))
    return fields


def _membership_error(request: HttpRequest, check: CheckMembership | None) -> ApiError | None:
    """Membership is checked before the body is validated: Ninja validates before the handler
    runs, so a group-scoped route (`{gid}` in its path) re-checks here and a non-member gets
    the same 404 with an invalid body as with a valid one."""
    match = request.resolver_match
    gid = match.kwargs.get("gid") if match is not None else None
    user = getattr(request, "auth", None)
    if check is None or gid is None or user is None:
        return None
    try:
        check(user=user, group_id=int(gid))
    except (ApiError, ValueError) as exc:
        return exc if isinstance(exc, ApiError) else None
    return None


def install(api: NinjaAPI, *, report: Report, check_membership: CheckMembership | None) -> None:
    """Install the handlers. The API wires in what lives above the platform: how an unexpected
    error is reported (ops.reporting) and how membership of the group in the URL is checked
    (groups.access), so that common imports neither."""

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        if exc.status == 400:
            # An unparseable body is found before the handler runs, like a schema error.
            not_member = _membership_error(request, check_membership)
            if not_member is not None:
                return api_error_response(not_member)
        return api_error_response(exc)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        not_member = _membership_error(request, check_membership)
        if not_member is not None:
            return api_error_response(not_member)
        fields = validation_fields(exc)
        if "body" in fields and any(e.get("type") == "missing" for e in exc.errors):
            message = _("The request body is missing or incomplete.")
        else:
            message = _("Some fields are invalid.")
        return error_response(422, "invalid", message, {"fields": fields})

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "not_authenticated", _("Log in or send a Bearer token."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja wraps whatever the body parser raises in HttpError(400, "Cannot parse request
        # body"); the parser's own error says what was wrong (bad JSON, wrong content type).
        if isinstance(exc.__cause__, ApiError):
            return api_error_response(exc.__cause__)
        code = "bad_request" if exc.status_code == 400 else "error"
        return error_response(exc.status_code, code, str(exc))

    @api.exception_handler(DataError)
    def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # The database refused a value (too long, out of range, a NUL byte) that validation let
        # through. That is a gap in validation, so it is reported, but the input is what was
        # wrong: the client gets a 422, never a 500.
        report(exc, what="database refused a value")
        return error_response(422, "invalid", _("A value is out of range or not allowed here."))

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found", _("Not found."))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Ninja answers here, so the exception never reaches Django's handler (nor Sentry's hook
        # on it): report it with the group from the URL; the client sees no internals.
        match = request.resolver_match
        gid = match.kwargs.get("gid") if match is not None else None
        report(exc, what="unhandled error", group_id=gid)
        return error_response(500, "server_error", _("Something went wrong on our side."))
