"""How a request proves who it is: a Bearer token (API clients, no CSRF) or the Django session
cookie (browsers, CSRF required on unsafe methods). Every authenticated call also counts against
the per-user rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.utils import check_csrf

from paytungan.accounts import throttle
from paytungan.accounts.models import User
from paytungan.accounts.throttle import Limit
from paytungan.accounts.tokens import token_authenticate
from paytungan.common.errors import ApiError, NotAuthenticated
from paytungan.ops.context import user_id_var

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _bearer_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("Authorization header must be 'Bearer <token>'.")
    return secret.strip()


def enforce_csrf(request: HttpRequest) -> None:
    if request.method in SAFE_METHODS:
        return
    if check_csrf(request) is not None:
        raise ApiError(
            "CSRF check failed: fetch GET /api/auth/csrf and send its token as X-CSRFToken.",
            code="csrf_failed",
            status=403,
        )


def _rate_limit(user: User) -> None:
    throttle.check(
        Limit(f"api:user:{user.pk}", settings.API_REQUESTS_PER_MINUTE, 60),
        message="Too many requests. Slow down a little.",
    )


class ApiAuth:
    """Ninja auth callable: returns the user, or None for a 401."""

    def __call__(self, request: HttpRequest) -> User | None:
        secret = _bearer_secret(request)
        if secret is not None:
            user = token_authenticate(secret=secret)
            if user is None:
                raise NotAuthenticated("The token is invalid or has been revoked.")
            request.user = user
        else:
            session_user: Any = getattr(request, "user", None)
            if session_user is None or not session_user.is_authenticated:
                return None
            enforce_csrf(request)
            user = session_user
        user_id_var.set(user.pk)
        # Messages (validation errors, emails) in the language the user chose in their profile.
        translation.activate(user.locale)
        request.LANGUAGE_CODE = user.locale
        _rate_limit(user)
        return user


class CsrfOnly:
    """For the public endpoints that browsers post to (register, login, password reset):
    no user needed, but the CSRF token is, unless a Bearer token is sent."""

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
        raise NotAuthenticated("Log in or send a Bearer token.")
    return user
