"""How the relay service reports its own failures (relay_settings.py, relay_urls.py).

The API logs an unexpected error through its Ninja handler (logger paytungan.errors); the relay
has no Ninja, so an exception that escapes a view or a middleware reaches Django's handler,
which logs it on `django.request` with the traceback. The API's settings mute that logger (it
would repeat every request line); the relay keeps its records that carry a traceback, so each
such 5xx is one JSON line with an `exception` field, and answers in the error shape.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse

from paytungan.common.errors import error_response


class WithTraceback(logging.Filter):
    """Passes only records of an exception: Django's "Service Unavailable: /hooks/..." lines
    for 5xx answers the code chose (and logged itself) stay out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is not None and record.exc_info[0] is not None


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(500, "server_error", "Something went wrong on our side.")
