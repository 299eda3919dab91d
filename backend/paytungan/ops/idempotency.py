"""`Idempotency-Key` for creating POSTs, honoured across instances through the database."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import BaseModel

from paytungan.common.errors import Invalid
from paytungan.ops.models import IdempotencyKey

HEADER = "Idempotency-Key"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,200}$")


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _replay(stored: IdempotencyKey, fingerprint: str) -> tuple[int, Any]:
    if stored.fingerprint != fingerprint:
        raise Invalid(
            _("This Idempotency-Key was already used with a different request."),
            code="idempotency_key_reused",
            fields={HEADER: [_("Use a new key for a different request.")]},
        )
    return stored.status, stored.response


def has_idempotency_key(request: HttpRequest) -> bool:
    """Whether the request carries an `Idempotency-Key` (then `idempotent` needs a transaction
    around the write and the key's row)."""
    return HEADER in request.headers


def idempotent(
    request: HttpRequest,
    *,
    user: AbstractBaseUser,
    schema: type[BaseModel],
    run: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run `run` once per (user, key). Its result is serialised through `schema` so that the
    stored copy and the live response are byte-for-byte the same JSON."""
    key = request.headers.get(HEADER)
    if key is None:
        status, body = run()
        return status, body
    if not _KEY_RE.match(key):
        raise Invalid(
            _("Idempotency-Key must be 1-200 visible ASCII characters."),
            fields={HEADER: [_("Invalid key.")]},
        )
    fingerprint = _fingerprint(request)
    stored = IdempotencyKey.objects.filter(user_id=user.pk, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            status, body = run()
            payload = schema.model_validate(body).model_dump(mode="json")
            IdempotencyKey.objects.create(
                user_id=user.pk, key=key, fingerprint=fingerprint, status=status, response=payload
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: ours rolled back whole.
        stored = IdempotencyKey.objects.filter(user_id=user.pk, key=key).first()
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return status, payload
