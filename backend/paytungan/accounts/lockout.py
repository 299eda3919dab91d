"""Login throttling that a stranger cannot turn against an account's owner
(docs/decisions/0008-login-lockout.md).

Every attempt is counted *before* its password is checked, in the database, in one atomic
statement per counter, so parallel attempts on any number of instances can never all see "one
left". Which counters an attempt takes depends on where it comes from:

- from a device where this account logged in before (a signed cookie set at that login):
  only that device's own failure budget. Nobody else can spend it, so nobody else can lock the
  owner out of a browser they have used;
- from anywhere else: the per-address budget (all accounts), the account's budget *at that
  address*, and a much larger ceiling for the account across all addresses, which only an
  attack from many addresses reaches.

A right password gives back the slots its attempt took: only failures are counted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from paytungan.accounts import throttle
from paytungan.accounts.throttle import Limit
from paytungan.common.errors import Throttled

DEVICE_COOKIE = "pyt_device"
_SALT = "paytungan.accounts.lockout.device"
_MAX_ACCOUNTS_PER_DEVICE = 8

IP_MESSAGE = gettext_lazy("Too many login attempts from this address. Try again later.")
ACCOUNT_MESSAGE = gettext_lazy("Too many failed logins for this account. Try again later.")


def _account_tag(email: str) -> str:
    # The cookie is signed, not encrypted: it names accounts by a keyed digest, not by email.
    return salted_hmac(_SALT, email).hexdigest()[:20]


@dataclass
class _Device:
    device_id: str
    accounts: list[str]


def _read_device(request: HttpRequest) -> _Device | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    device_id, accounts = data.get("d"), data.get("a")
    if not isinstance(device_id, str) or not isinstance(accounts, list):
        return None
    return _Device(device_id, [a for a in accounts if isinstance(a, str)])


@dataclass
class LoginAttempt:
    email: str
    tag: str
    device: _Device | None
    reserved: list[Limit] = field(default_factory=list)

    @property
    def known_device(self) -> bool:
        return self.device is not None and self.tag in self.device.accounts

    def succeeded(self, response: HttpResponseBase | None) -> None:
        """The password was right: give the slots back and remember this device for the
        account (on `response`, when there is one to carry the cookie)."""
        if settings.THROTTLE_ENABLED:
            for limit in self.reserved:
                throttle.refund(limit)
        if response is not None:
            remember_device(response, self)


def begin(request: HttpRequest, email: str) -> LoginAttempt:
    """Count one login attempt for `email` (normalised) and raise Throttled if it is over a
    limit. Call `.succeeded()` on the result when the password was right."""
    attempt = LoginAttempt(email=email, tag=_account_tag(email), device=_read_device(request))
    if not settings.THROTTLE_ENABLED:
        return attempt
    window = settings.LOGIN_WINDOW_SECONDS
    if attempt.known_device:
        assert attempt.device is not None
        limits = [
            (
                Limit(
                    f"login:device:{attempt.device.device_id}:{attempt.tag}",
                    settings.LOGIN_FAILURES_PER_ACCOUNT,
                    window,
                ),
                ACCOUNT_MESSAGE,
            )
        ]
    else:
        ip = throttle.client_ip(request)
        per_account_ip = settings.LOGIN_FAILURES_PER_ACCOUNT
        limits = [
            (Limit(f"login:ip:{ip}", settings.LOGIN_ATTEMPTS_PER_IP, window), IP_MESSAGE),
            (
                Limit(f"login:account-ip:{email}:{ip}", per_account_ip, window),
                ACCOUNT_MESSAGE,
            ),
            (
                Limit(f"login:account:{email}", settings.LOGIN_FAILURES_PER_ACCOUNT_TOTAL, window),
                ACCOUNT_MESSAGE,
            ),
        ]
    for limit, message in limits:
        try:
            throttle.reserve(limit, message=str(message))
        except Throttled:
            # The attempt was refused unchecked: it is no failure of the budgets before this one.
            for taken in attempt.reserved:
                throttle.refund(taken)
            raise
        if limit.key.startswith("login:ip:"):
            continue  # attempts per address count successes too (credential stuffing)
        attempt.reserved.append(limit)
    return attempt


def remember_device(response: HttpResponseBase, attempt: LoginAttempt) -> None:
    device = attempt.device or _Device(secrets.token_urlsafe(16), [])
    accounts = [attempt.tag] + [a for a in device.accounts if a != attempt.tag]
    value = signing.dumps(
        {"d": device.device_id, "a": accounts[:_MAX_ACCOUNTS_PER_DEVICE]}, salt=_SALT
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
