"""Personal access tokens: `pyt_<43 url-safe chars>`, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from paytungan.accounts.models import AccessToken, User
from paytungan.common.errors import NotFound, field_error

TOKEN_PREFIX = "pyt_"  # noqa: S105 - a public marker, not a secret
PREFIX_SHOWN = 12
# last_used_at is informative; writing it on every call would add a write to every read.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    name = name.strip()
    if not name:
        raise field_error("name", "Give the token a name.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_SHOWN], digest=_digest(secret)
    )
    return token, secret


def token_authenticate(*, secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_list(*, user: User) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-id"))


def token_revoke(*, user: User, token_id: int) -> None:
    deleted, _ = AccessToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")
