"""Account writes: registration, login, profile, password reset, deletion."""

from __future__ import annotations

import logging
import re
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    SESSION_KEY,
    authenticate,
    login,
    logout,
    update_session_auth_hash,
)
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from paytungan.accounts import lockout, throttle, tokens
from paytungan.accounts.models import PayoutMethod, User, normalize_email
from paytungan.accounts.throttle import Limit
from paytungan.common.errors import Invalid, NotAuthenticated, field_error
from paytungan.money.currencies import EXPONENTS
from paytungan.ops.reporting import report_unexpected

logger = logging.getLogger(__name__)

USERNAME_RE = r"^[a-z0-9_.]{3,30}$"
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254


def _clean_email(raw: str, *, path: str = "email") -> str:
    email = normalize_email(raw)
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(path, _("Enter a valid email address.")) from None
    # Lower-casing can lengthen a string ("İ" becomes two code points): check the stored form.
    if len(email) > EMAIL_MAX_LENGTH:
        raise field_error(path, f"Use at most {EMAIL_MAX_LENGTH} characters.")
    return email


def _check_password(password: str, *, user: User | None, path: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise Invalid(
            _("The password is not strong enough."), fields={path: list(exc.messages)}
        ) from None


def _email_taken(email: str, *, exclude_id: int | None = None) -> bool:
    qs = User.objects.filter(email=email)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.exists()


def user_register(*, request: HttpRequest, email: str, password: str, name: str) -> User:
    throttle.check(
        Limit(
            f"register:ip:{throttle.client_ip(request)}",
            settings.REGISTRATIONS_PER_IP_PER_HOUR,
            3600,
        )
    )
    email = _clean_email(email)
    name = name.strip()
    if not name:
        raise field_error("name", _("Enter your name."))
    candidate = User(email=email, name=name)
    _check_password(password, user=candidate)
    if _email_taken(email):
        raise field_error(
            "email", _("An account with this email already exists."), code="email_taken"
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, name=name)
    except IntegrityError:
        # Lost a race with a concurrent registration of the same address.
        raise field_error(
            "email", _("An account with this email already exists."), code="email_taken"
        ) from None
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def user_login(
    *, request: HttpRequest, email: str, password: str, response: HttpResponseBase | None = None
) -> User:
    """Log in. The attempt is counted before the password is checked (accounts/lockout.py);
    on success this device is remembered for the account, on `response`."""
    email = normalize_email(email)
    attempt = lockout.begin(request, email)
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise NotAuthenticated(_("Email or password is incorrect."), code="invalid_credentials")
    login(request, user)
    attempt.succeeded(response)
    assert isinstance(user, User)
    return user


def user_logout(*, request: HttpRequest) -> None:
    logout(request)


def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Apply a PATCH. Only keys present in `data` change."""
    if "email" in data and data["email"] is not None:
        email = _clean_email(data["email"])
        if _email_taken(email, exclude_id=user.pk):
            raise field_error(
                "email", _("An account with this email already exists."), code="email_taken"
            )
        user.email = email
    if data.get("name") is not None:
        name = data["name"].strip()
        if not name:
            raise field_error("name", _("Enter your name."))
        user.name = name
    if "username" in data:
        user.username = _clean_username(data["username"], user_id=user.pk)
    if data.get("default_currency") is not None:
        code = data["default_currency"].upper()
        if code not in EXPONENTS:
            raise field_error(
                "default_currency", _("Unknown currency {code}.").format(code=repr(code))
            )
        user.default_currency = code
    if data.get("locale") is not None:
        user.locale = data["locale"]
    payout = data.get("payout") or {}
    if payout.get("method") is not None:
        user.payout_method = PayoutMethod(payout["method"])
    if payout.get("account_name") is not None:
        user.payout_account_name = payout["account_name"].strip()
    if payout.get("account_number") is not None:
        user.payout_account_number = payout["account_number"].strip()
    if payout.get("share_with_groups") is not None:
        user.payout_share_with_groups = payout["share_with_groups"]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Invalid(_("That email or username is already taken."), code="taken") from None
    return user


def _clean_username(raw: str | None, *, user_id: int) -> str | None:
    if raw is None or raw.strip() == "":
        return None
    username = raw.strip().lower()
    if not re.match(USERNAME_RE, username):
        raise field_error(
            "username", _("Use 3-30 characters: lowercase letters, digits, '_' or '.'.")
        )
    if User.objects.filter(username=username).exclude(pk=user_id).exists():
        raise field_error("username", _("This username is taken."), code="username_taken")
    return username


def password_change(
    *, request: HttpRequest, user: User, current_password: str, new_password: str
) -> None:
    if not user.check_password(current_password):
        raise field_error("current_password", _("The current password is incorrect."))
    _check_password(new_password, user=user, path="new_password")
    # The save revokes the user's tokens (tokens.revoke_on_password_change), but the one this
    # request came with (if any), which stays like the session.
    with transaction.atomic(), tokens.keeping_token(getattr(request, "auth_token_id", None)):
        user.set_password(new_password)
        user.save(update_fields=["password"])
    # Keep this session; every other session of the user is signed out by the hash change.
    # A Bearer-token request has no login session to keep (and must not start one).
    if request.session.get(SESSION_KEY) == str(user.pk):
        update_session_auth_hash(request, user)


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Always succeeds from the caller's view, so the endpoint can't tell who has an account."""
    email = normalize_email(email)
    throttle.check(Limit(f"reset:ip:{throttle.client_ip(request)}", 20, 3600))
    throttle.check(Limit(f"reset:account:{email}", 5, 3600))
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    token = (
        f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"
    )
    link = f"{settings.FRONTEND_URL}/reset-password?token={token}"
    subject = (
        "Atur ulang kata sandi Paytungan"
        if user.locale == "id"
        else "Reset your Paytungan password"
    )
    body = (
        f"Halo {user.name},\n\nBuka tautan ini untuk mengatur ulang kata sandi Anda:\n{link}\n\n"
        "Abaikan email ini jika Anda tidak memintanya."
        if user.locale == "id"
        else f"Hi {user.name},\n\nOpen this link to reset your password:\n{link}\n\n"
        "If you didn't ask for this, ignore this email."
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except (OSError, smtplib.SMTPException) as exc:
        # The answer must not depend on whether the account exists, so a mail failure is not
        # the caller's error: it is reported (Sentry and the log) and the request still succeeds.
        report_unexpected(exc, what="password reset email could not be sent", user_id=user.pk)
        return
    logger.info("password reset email sent", extra={"user_id": user.pk})


def password_reset_confirm(*, token: str, password: str) -> User:
    invalid = field_error(
        "token", _("This reset link is invalid or has expired."), code="invalid_token"
    )
    uid_part, __, token_part = token.partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid_part)))
    except (ValueError, TypeError, UnicodeDecodeError):
        raise invalid from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token_part):
        raise invalid
    _check_password(password, user=user)
    # A reset means the password may be known to someone else: so may the tokens be. The save
    # revokes every one of them (tokens.revoke_on_password_change).
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_delete(*, request: HttpRequest, user: User) -> None:
    """Erase the account. Memberships become guests that keep their display name (the
    foreign keys are SET_NULL), so other people's group history stays whole."""
    logout(request)
    user.delete()
