"""Unsubscribe tokens: signed with SECRET_KEY (and its fallbacks, so a key rotation does not
break the links already sent), no expiry, no login needed. A token names one user and one kind
of email; it can only ever turn that kind off."""

from __future__ import annotations

from django.core import signing

from paytungan.notifications.models import Kind

_SALT = "paytungan.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=_SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind), or None when the token is not one of ours."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in Kind.values:
        return None
    return user_id, str(kind)
