"""Personal access tokens: `pyt_<43 url-safe chars>`, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.accounts.caller_cache import caller_cache
from paytungan.accounts.models import AccessToken, User
from paytungan.common.errors import NotFound, field_error
from paytungan.common.sql_reads import columns as sql_columns

TOKEN_PREFIX = "pyt_"  # noqa: S105 - a public marker, not a secret
PREFIX_SHOWN = 12
# last_used_at is informative; writing it on every call would add a write to every read.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    name = name.strip()
    if not name:
        raise field_error("name", _("Give the token a name."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_SHOWN], digest=_digest(secret)
    )
    return token, secret


class CallerScope(Protocol):
    """What a group-scoped route loads with its caller, in the caller's one query (decision
    0009): the caller's membership of the group in the URL. Registered by the groups app
    (groups/access.py, in its AppConfig.ready), so accounts needn't import it."""

    def sql(self) -> tuple[str, str]:
        """(the columns it adds to the SELECT, its LEFT JOINs on `u`, with one %s: the group)"""
        ...

    def attach(self, *, user: User, group_id: int, values: Sequence[Any]) -> None:
        """Leave what the added columns hold (None when no row joined) on `user`."""
        ...


_scope: CallerScope | None = None


def register_scope(scope: CallerScope | None) -> None:
    global _scope
    _scope = scope


@dataclass(frozen=True)
class BearerAuth:
    user: User
    token_id: int


def load_caller(
    *,
    digest: str | None = None,
    user_id: int | None = None,
    group_id: int | None = None,
    cached: bool = False,
) -> tuple[User, int | None, datetime | None] | None:
    """An active user by token digest or by id, in one query: (user, token id, its last use).
    With `group_id` (a group-scoped route) the same query also loads the caller's active
    membership of that group and leaves it for `group_for_member`, which then doesn't ask
    again (docs/decisions/0009-request-path.md). With `cached` (safe requests) the row may come
    from the process's caller cache, which change notices keep current (caller_cache.py)."""
    key = _cache_key(digest=digest, user_id=user_id, group_id=group_id)
    use_cache = cached and caller_cache.enabled()
    row = caller_cache.get(key) if use_cache else None
    if row is None:
        generation = caller_cache.generation()
        row = _caller_row(digest=digest, user_id=user_id, group_id=group_id)
        if row is None:
            return None
        if use_cache:
            user_id = row[2 + sql_columns(User, "u")[0].index("id")]
            caller_cache.put(key, row, user_id=user_id, group_id=group_id, generation=generation)
    # Fresh instances every time: a cached row is never shared as a mutable object (but see
    # bearer_authenticate's `shared`).
    return _caller_from_row(row, group_id=group_id)


def _cache_key(
    *, digest: str | None, user_id: int | None, group_id: int | None
) -> tuple[str, str | int | None, int | None]:
    return ("d", digest, group_id) if digest is not None else ("u", user_id, group_id)


def _caller_from_row(
    row: tuple[Any, ...], *, group_id: int | None
) -> tuple[User, int | None, datetime | None]:
    user_fields, _ = sql_columns(User, "u")
    n_user = len(user_fields)
    user = User.from_db(connection.alias, user_fields, row[2 : 2 + n_user])
    if group_id is not None and _scope is not None:
        _scope.attach(user=user, group_id=group_id, values=row[2 + n_user :])
    return user, row[0], row[1]


def _caller_row(
    *, digest: str | None, user_id: int | None, group_id: int | None
) -> tuple[Any, ...] | None:
    _, user_cols = sql_columns(User, "u")
    if digest is not None:
        # Table and column names come from the models; every value is a parameter.
        sql = f'SELECT t."id", t."last_used_at", {user_cols} FROM "{AccessToken._meta.db_table}" t'  # noqa: S608
        sql += f' JOIN "{User._meta.db_table}" u ON u."id" = t."user_id"'
    else:
        sql = f'SELECT NULL, NULL, {user_cols} FROM "{User._meta.db_table}" u'  # noqa: S608
    params: list[int | str | None] = []
    if group_id is not None and _scope is not None:
        columns, joins = _scope.sql()
        sql = sql.replace(" FROM ", f", {columns} FROM ", 1)
        sql += joins
        params.append(group_id)
    if digest is not None:
        sql += ' WHERE t."digest" = %s AND u."is_active"'
        params.append(digest)
    else:
        sql += ' WHERE u."id" = %s AND u."is_active"'
        params.append(user_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def bearer_authenticate(
    *, secret: str, group_id: int | None = None, cached: bool = False, shared: bool = False
) -> BearerAuth | None:
    """The token's user (and membership of `group_id`, see `load_caller`) in one query.

    `shared` (with `cached`): for a reader that never changes what it gets (hot_reads.py), a
    cached caller is built once per cache entry and the same objects are handed to every
    request that hits it. Building them again was a fifth of a hot read's time in process."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    digest = _digest(secret)
    found = None
    if shared and cached and caller_cache.enabled():
        found = caller_cache.derived(
            _cache_key(digest=digest, user_id=None, group_id=group_id),
            lambda row: _caller_from_row(row, group_id=group_id),
        )
    if found is None:
        found = load_caller(digest=digest, group_id=group_id, cached=cached)
    if found is None:
        return None
    user, token_id, last_used_at = found
    assert token_id is not None
    note_use(token_id=token_id, seen=last_used_at)
    return BearerAuth(user=user, token_id=token_id)


# token id -> the last_used_at that this process's latest write replaced: a write for it is done
# or under way, so the other threads that read the same old value skip theirs.
_replacing: dict[int, datetime | None] = {}
_replacing_lock = threading.Lock()


def note_use(*, token_id: int, seen: datetime | None) -> None:
    """Write the token's last_used_at when the value the caller read (`seen`) is over a minute
    old: one UPDATE per token a minute, not one per concurrent request. All the requests of a
    busy client read the same old value (from the database or the caller cache) until the
    write is seen; each used to send its own UPDATE, queued on the one row lock, each commit
    waiting for its WAL flush, and together they held the client's requests for up to 1.9 s
    (docs/benchmarks.md). So one thread per process writes for a given old value, and its
    UPDATE is conditional: another process's write, made meanwhile, turns it into a no-op."""
    now = timezone.now()
    if seen is not None and now - seen <= LAST_USED_RESOLUTION:
        return
    claim = (token_id, seen)
    with _replacing_lock:
        if claim in _replacing.items():
            return
        if len(_replacing) >= 10_000:
            _replacing.clear()
        _replacing[token_id] = seen
    try:
        AccessToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION),
            pk=token_id,
        ).update(last_used_at=now)
    except BaseException:
        with _replacing_lock:  # not written: the next request tries again
            if claim in _replacing.items():
                del _replacing[token_id]
        raise


def token_authenticate(*, secret: str) -> User | None:
    found = bearer_authenticate(secret=secret)
    return found.user if found is not None else None


def token_list(*, user: User) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-id"))


def tokens_revoke_all(*, user: User, keep_id: int | None = None) -> int:
    """Revoke every token of the user (but `keep_id`): on a password change or reset."""
    tokens = AccessToken.objects.filter(user=user)
    if keep_id is not None:
        tokens = tokens.exclude(pk=keep_id)
    deleted, __ = tokens.delete()
    return deleted


# --- tokens go with the password, wherever it is changed ------------------------------------------
# The API's password change and reset, `manage.py changepassword`, the admin's password change
# form: all call User.set_password() and save. The sessions follow by themselves (their hash is
# derived from the password hash, checked on every request: accounts/auth.py); the tokens follow
# here, on the save that writes the new password. Whoever changes a password may be locking out
# someone who stole it, and a stolen token would outlive the password otherwise.
_kept_token: ContextVar[int | None] = ContextVar("paytungan_kept_token", default=None)


@contextmanager
def keeping_token(token_id: int | None) -> Iterator[None]:
    """A password saved inside keeps this token (the one the request that changes it came with,
    like its session); the user's other tokens are revoked."""
    reset = _kept_token.set(token_id)
    try:
        yield
    finally:
        _kept_token.reset(reset)


def revoke_on_password_change(
    sender: type[User],
    instance: User,
    created: bool,
    raw: bool,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    """post_save of User: the one place that decides that a password change revokes tokens.

    "Changed" is Django's own notion, the one that calls the password validators'
    password_changed(): set_password() was called since the last save (it keeps the new raw
    password in `_password` until the save). A hash upgraded at login (check_password's setter)
    clears it first, so a rehash of the same password revokes nothing; a save that does not
    write the password field (update_fields without it) neither."""
    if created or raw or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    tokens_revoke_all(user=instance, keep_id=_kept_token.get())


def token_revoke(*, user: User, token_id: int) -> None:
    deleted, __ = AccessToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound(_("No such token."))
