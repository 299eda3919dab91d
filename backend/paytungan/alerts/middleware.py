"""The relay service's Host check (relay_settings.MIDDLEWARE).

Django compares the Host header with ALLOWED_HOSTS only when something asks for the host
(request.get_host(): CommonMiddleware, CSRF, absolute URLs). The API runs those; the relay runs
none of them, so without this check its ALLOWED_HOSTS was configured but never applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from paytungan.common.errors import error_response

logger = logging.getLogger("paytungan.alerts")


class HostCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            # Django's django.security.DisallowedHost logger is not configured here; one line.
            logger.warning("request for a host this relay does not serve")
            return error_response(400, "bad_host", "This host is not served here.")
        return self.get_response(request)
