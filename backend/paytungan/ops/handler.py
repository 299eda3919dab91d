"""The API's WSGI handler: two middleware chains, picked per request.

A Bearer-token call of a group route (`/api/groups...`, nearly all of the API's traffic) needs
nothing that only a browser session uses: no session, CSRF cookie, messages, static files or
admin gate. It runs `settings.MIDDLEWARE` without `settings.BEARER_SKIPPED_MIDDLEWARE`; every
other request runs the full chain. Why it is safe: ApiAuth never falls back to the session when
an Authorization header is present (a malformed one is a 401, on either chain), and no group
route reads `request.session` (the routes that log in or out live under /api/auth and /api/me).
What a browser sees is unchanged; the tests compare the answers of both chains header by header.
Measured: docs/benchmarks.md, "Request path" (decision 0021).

It also reads to its end any request body the app left unread (a 413 refused from its
Content-Length, a 401 or 404 before an upload is parsed, a form Django refused): gunicorn
answers such a request with "Connection: keep-alive" and then, finding more than 64 KiB still
unread, closes the connection. A proxy that reuses its upstream connections (Next's rewrites in
`make run`) sends the next request, often another user's, on the closed one and answers a 500
"socket hang up". A body announced past `drain_limit()` is left alone (gunicorn closes).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

BEARER_PREFIX = "/api/groups"
_CHUNK = 64 * 1024


def drain_limit() -> int:
    """The largest announced body read to its end when the app didn't: twice the largest body
    any route accepts (an upload plus its multipart framing fits)."""
    limits = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0, settings.RECEIPT_MAX_BYTES)
    return 2 * max(*limits, settings.IMPORT_MAX_BYTES)


def drain_body(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if not 0 < length <= drain_limit():
        return
    # Django's stream over wsgi.input, bounded by Content-Length (a BytesIO of the body once
    # request.body was read: nothing left on the socket then).
    stream = getattr(request, "_stream", None)
    if stream is None:
        return
    try:
        while stream.read(_CHUNK):
            pass
    except (OSError, ValueError):
        pass  # the client went away: gunicorn closes the connection anyway


def is_bearer_group_call(request: HttpRequest) -> bool:
    path = request.path
    below = path == BEARER_PREFIX or path.startswith(BEARER_PREFIX + "/")
    return below and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "


def _load_chain(middleware: list[str]) -> Callable[[HttpRequest], HttpResponseBase]:
    """A chain over `middleware`, built by Django's own loader. Django reads the list from
    settings only; it is swapped for the load, which happens once, before any request."""
    handler = BaseHandler()
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = middleware
    try:
        handler.load_middleware()
    finally:
        settings.MIDDLEWARE = full
    chain: Callable[[HttpRequest], HttpResponseBase] = handler._middleware_chain  # type: ignore[attr-defined]  # set by load_middleware
    return chain


class ApiWSGIHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async)
        full_chain: Callable[[HttpRequest], HttpResponseBase] = self._middleware_chain  # type: ignore[has-type]
        skipped = set(settings.BEARER_SKIPPED_MIDDLEWARE)
        bearer_chain = _load_chain([m for m in settings.MIDDLEWARE if m not in skipped])

        def chain(request: HttpRequest) -> HttpResponseBase:
            if not is_bearer_group_call(request):
                return full_chain(request)
            response = bearer_chain(request)
            # What CommonMiddleware (skipped) would add: lets gunicorn keep the connection
            # alive without chunked encoding.
            if not response.streaming and not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
            return response

        self._middleware_chain = chain

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        response = super().get_response(request)
        drain_body(request)
        return response
