"""Django's admin behind the same login throttle as the API (accounts/lockout.py), and not
served at all unless ADMIN_ENABLED."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from paytungan.accounts import lockout
from paytungan.accounts.models import normalize_email
from paytungan.common.errors import Throttled

ADMIN_PREFIX = "/admin/"
ADMIN_LOGIN = "/admin/login/"


class AdminGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not (path.startswith(ADMIN_PREFIX) or path == ADMIN_PREFIX.rstrip("/")):
            return self.get_response(request)
        if not settings.ADMIN_ENABLED:
            return HttpResponseNotFound("Not found.", content_type="text/plain")
        if path != ADMIN_LOGIN or request.method != "POST":
            return self.get_response(request)
        email = normalize_email(str(request.POST.get("username", "")))
        try:
            attempt = lockout.begin(request, email)
        except Throttled as exc:
            response = HttpResponse(
                f"{exc.message}\n", status=429, content_type="text/plain; charset=utf-8"
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        response = self.get_response(request)
        # Django's login view redirects on success and shows the form again on a failure.
        user = getattr(request, "user", None)
        if response.status_code == 302 and user is not None and user.is_authenticated:
            attempt.succeeded(response)
        return response
