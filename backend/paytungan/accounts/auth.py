"""How a request proves who it is: a Bearer token (API clients, no CSRF) or the Django session
cookie (browsers, CSRF required on unsafe methods). Every authenticated call also counts against
the per-user rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import empty
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from paytungan.accounts import throttle
from paytungan.accounts.models import User
from paytungan.accounts.throttle import Limit
from paytungan.accounts.tokens import bearer_authenticate, load_caller
from paytungan.common.errors import ApiError, NotAuthenticated, Throttled
from paytungan.ops.context import user_id_var

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _bearer_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, __, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated(_("Authorization header must be 'Bearer <token>'."))
    return secret.strip()


def enforce_csrf(request: HttpRequest) -> None:
    if request.method in SAFE_METHODS:
        return
    if check_csrf(request) is not None:
        raise ApiError(
            _("CSRF check failed: fetch GET /api/auth/csrf and send its token as X-CSRFToken."),
            code="csrf_failed",
            status=403,
        )


def rate_limit(user: User) -> None:
    # Counted in process memory, written to the shared counter in batches (throttle.py). The
    # message is translated only for a refusal: a lookup per request is a hot read's cost.
    try:
        throttle.api_counter.check(
            Limit(f"api:user:{user.pk}", settings.API_REQUESTS_PER_MINUTE, 60)
        )
    except Throttled as refused:
        raise Throttled(refused.retry_after, _("Too many requests. Slow down a little.")) from None


_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _route_group_id(request: HttpRequest) -> int | None:
    """The group in the URL of a group-scoped route (`{gid}`), loaded with the caller."""
    match = request.resolver_match
    gid = match.kwargs.get("gid") if match is not None else None
    if gid is None:
        return None
    try:
        return int(gid)
    except (TypeError, ValueError):
        return None


def _session_user(request: HttpRequest, group_id: int | None) -> User | None:
    """The session's user, as `django.contrib.auth.get_user` finds it, but loaded in the same
    query as the caller's membership of the group in the URL."""
    lazy: Any = getattr(request, "user", None)
    if lazy is None:
        return None
    if getattr(lazy, "_wrapped", empty) is not empty or not hasattr(request, "session"):
        return lazy if lazy.is_authenticated else None  # already loaded by someone else
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, TypeError, ValueError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    if backend_path != _MODEL_BACKEND:
        return lazy if lazy.is_authenticated else None
    found = load_caller(user_id=user_id, group_id=group_id, cached=request.method in SAFE_METHODS)
    user = found[0] if found is not None else None
    if user is not None:
        session_hash = session.get(HASH_SESSION_KEY)
        current = user.get_session_auth_hash()
        if not session_hash or not constant_time_compare(session_hash, current):
            if session_hash and any(
                constant_time_compare(session_hash, fallback)
                for fallback in user.get_session_auth_fallback_hash()
            ):
                session.cycle_key()
                session[HASH_SESSION_KEY] = current
            else:
                session.flush()
                user = None
    request.user = user if user is not None else AnonymousUser()
    return user


class ApiAuth:
    """Ninja auth callable: returns the user, or None for a 401.

    One query on the common path: the caller (by token digest or session id) joined with their
    membership of the group in the URL; the rate limit is counted in memory."""

    openapi_kind = "user"  # common/openapi.py: a logged-in caller, rate-limited

    def __call__(self, request: HttpRequest) -> User | None:
        group_id = _route_group_id(request)
        secret = _bearer_secret(request)
        if secret is not None:
            found = bearer_authenticate(
                secret=secret, group_id=group_id, cached=request.method in SAFE_METHODS
            )
            if found is None:
                raise NotAuthenticated(_("The token is invalid or has been revoked."))
            user = found.user
            request.user = user
            request.auth_token_id = found.token_id  # type: ignore[attr-defined]
        else:
            session_user = _session_user(request, group_id)
            if session_user is None:
                return None
            enforce_csrf(request)
            user = session_user
        user_id_var.set(user.pk)
        # Messages (validation errors, emails) in the language the user chose in their profile.
        translation.activate(user.locale)
        request.LANGUAGE_CODE = user.locale
        rate_limit(user)
        return user


class CsrfOnly:
    """For the public endpoints that browsers post to (register, login, password reset):
    no user needed, but the CSRF token is, unless a Bearer token is sent."""

    openapi_kind = "csrf"  # common/openapi.py: public, CSRF on a session

    def __call__(self, request: HttpRequest) -> bool:
        if "Authorization" not in request.headers:
            enforce_csrf(request)
        return True


api_auth = ApiAuth()
csrf_only = CsrfOnly()


def request_user(request: HttpRequest) -> User:
    """The authenticated caller of an API handler (Ninja puts what ApiAuth returned in .auth)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticated(_("Log in or send a Bearer token."))
    return user
