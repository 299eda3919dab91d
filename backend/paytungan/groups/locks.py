"""Row locks for every write, in one global order, and the retry that backs them up.

The order (docs/decisions/0006-locking.md), for every write that changes a group's money,
members or settings:

1. the group row: `lock_group`. Taken first, before any other row of the group is read for
   the decision, so writes in one group run one after the other and each sees every earlier
   one committed (its currency, its members' `is_active`, the bill's `version`).
2. the one object the write is about, if any: `lock_group_and` locks the group and then it in
   one statement (a bill's edit, delete and restore), or `payments.services.lock_payment`
   (after `lock_group`).
3. member rows, last: only through the single balance UPDATE (`groups.balances`) or the
   member's own UPDATE (leave, remove, rename), never with a separate lock statement in a
   money write. Joining through an invite locks the one row it changes (`lock_membership`,
   `lock_guest`), after the group.

Every explicit lock is `FOR NO KEY UPDATE`: it blocks other writers of the row but not the
`FOR KEY SHARE` that PostgreSQL's foreign-key checks take when a bill, payment or activity row
pointing at the group or a member is inserted, so an insert never waits on another write's
lock. (`FOR UPDATE` conflicts with `FOR KEY SHARE`; that conflict is what deadlocked at COMMIT.)

`write_transaction` runs a write as one transaction and, should PostgreSQL still report a
deadlock or a serialization failure, runs the whole transaction again a few times. It is the last
line, not the design: it logs each retry so one is noticed.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Collection
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection, transaction
from django.db.models import Model
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from paytungan.common.errors import NotFound
from paytungan.common.sql import Statement, models_from_row, next_id_sql
from paytungan.groups.models import Group, Member

log = logging.getLogger("paytungan.locks")

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Model)

# 40001 serialization_failure, 40P01 deadlock_detected: the transaction did nothing lasting and
# may simply run again.
_OWN = "_paytungan_write"  # marks the atomic blocks opened by `retrying`
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
ATTEMPTS = 3
BACKOFF_SECONDS = 0.02  # the n-th retry sleeps up to BACKOFF_SECONDS * 2**n, jittered


def lock_group(*, group_id: int, reserve_id_of: type[Model] | None = None) -> Group:
    """Lock the group row (first, always) and return it as it is now: bill and payment writes
    take the currency from here, never from a copy read before their transaction.

    `reserve_id_of`: also take the next primary key of that model in the same statement
    (PostgreSQL), as `group.reserved_id` (None elsewhere), so the row the write creates can go
    in one statement with the rows pointing at it (common.sql)."""
    require_transaction("lock_group")
    rows = Group.objects.select_for_update(no_key=True).filter(pk=group_id)
    if reserve_id_of is not None and connection.vendor == "postgresql":
        rows = rows.annotate(reserved_id=RawSQL(next_id_sql(reserve_id_of), ()))  # noqa: S611 - names from the model
    group = rows.first()
    if group is None:  # deleted since the access check
        raise NotFound(_("No such group."), code="group_not_found")
    if not hasattr(group, "reserved_id"):
        group.reserved_id = None  # type: ignore[attr-defined]
    return group


def lock_group_part(*, group_id: int, currency: str) -> Statement:
    """The group lock as the first part of a larger statement (PostgreSQL, common.sql.
    with_parts; bill create): the group row's id, locked, if its currency is still `currency`
    (the one the write was computed in; re-checked on the newest row once the lock is granted),
    else no row. Every later part must select from this one, so that it runs after the lock."""
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {qn('id')} FROM {qn(Group._meta.db_table)} "  # noqa: S608 - names from the model
        f"WHERE {qn('id')} = %s AND {qn('currency')} = %s FOR NO KEY UPDATE"
    )
    return sql, [group_id, currency]


def lock_group_and(*, group_id: int, model: type[M], pk: int) -> tuple[Group, M | None]:
    """Lock the group row and then the row `pk` of `model` (one of the group's: it has a
    `group` foreign key), in one statement on PostgreSQL: the group row first by construction,
    as the second lock is a subquery that needs the locked group's id (a LATERAL join), so it
    can't run before the first has been granted. Both rows come back as they are now (a locking
    read returns the newest committed version). None for the object if the group has no such
    row; NotFound if the group is gone."""
    require_transaction("lock_group_and")
    if connection.vendor != "postgresql":
        group = lock_group(group_id=group_id)
        obj = (
            model._default_manager.select_for_update(no_key=True)
            .filter(group_id=group_id, pk=pk)
            .first()
        )
        return group, obj
    qn = connection.ops.quote_name
    g_cols = ", ".join(f"g.{qn(_column(f))}" for f in Group._meta.concrete_fields)
    o_cols = ", ".join(f"o.{qn(_column(f))}" for f in model._meta.concrete_fields)
    group_fk = qn(_column(model._meta.get_field("group")))
    g_pk, o_pk = qn(_column(Group._meta.pk)), qn(_column(model._meta.pk))
    sql = (
        f"WITH g AS (SELECT * FROM {qn(Group._meta.db_table)} "  # noqa: S608 - names from the models
        f"WHERE {g_pk} = %s FOR NO KEY UPDATE) "
        f"SELECT {g_cols}, {o_cols} FROM g LEFT JOIN LATERAL "
        f"(SELECT * FROM {qn(model._meta.db_table)} WHERE {o_pk} = %s AND {group_fk} = g.{g_pk} "
        f"FOR NO KEY UPDATE) o ON TRUE"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [group_id, pk])
        row = cursor.fetchone()
    if row is None:  # deleted since the access check
        raise NotFound(_("No such group."), code="group_not_found")
    found, locked = models_from_row([Group, model], row)
    assert isinstance(found, Group)
    assert locked is None or isinstance(locked, model)
    found.reserved_id = None  # type: ignore[attr-defined]
    return found, locked


def _column(field: object) -> str:
    column = getattr(field, "column", None)
    assert isinstance(column, str), field
    return column


def lock_membership(*, group: Group, user_id: int) -> Member | None:
    """The user's member row of the locked group (active or not; None if they never were
    one), locked after the group: joining through an invite changes it."""
    return (
        Member.objects.select_for_update(no_key=True)
        .filter(group_id=group.pk, user_id=user_id)
        .first()
    )


def lock_guest(*, group: Group, member_id: int) -> Member | None:
    """An active member row of the locked group, locked after the group, for a user claiming
    it (None if there is no such member)."""
    return (
        Member.objects.select_for_update(no_key=True)
        .filter(group_id=group.pk, pk=member_id, is_active=True)
        .first()
    )


def member_states(*, group_id: int, ids: Collection[int]) -> dict[int, Member]:
    """The group's members with these ids, read (not locked) under the group lock: every write
    that changes `is_active` holds that lock, so what is read here holds until commit."""
    if not ids:
        return {}
    return {m.pk: m for m in Member.objects.filter(group_id=group_id, pk__in=ids).order_by("pk")}


def require_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the write's transaction")


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def _block(*, savepoint: bool = True) -> transaction.Atomic:
    block = transaction.atomic(savepoint=savepoint)
    setattr(block, _OWN, True)
    return block


def _inside_a_write() -> bool:
    """Whether the innermost open block is a write's own (opened here), not someone else's."""
    blocks = transaction.get_connection().atomic_blocks
    return bool(blocks) and getattr(blocks[-1], _OWN, False)


def retrying(fn: Callable[[], R], *, name: str = "write") -> R:
    """Run `fn` in a transaction; on a deadlock or serialization failure run it again, whole,
    up to ATTEMPTS times. A retry is only sound for the outermost block (the failed transaction
    is dead as a whole), so inside another transaction the owner of that block must retry:

    - directly inside another write's block (a handler's `retrying` around a write service)
      it joins that block, with no savepoint: an error fails the whole write anyway, and a
      savepoint would cost two round trips per write;
    - inside anyone else's block (a test's transaction, `idempotent`'s, a command's) it adds
      a savepoint, so the owner can catch the error and carry on."""
    if transaction.get_connection().in_atomic_block:
        with _block(savepoint=not _inside_a_write()):
            return fn()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with _block():
                return fn()
        except OperationalError as exc:
            if attempt == ATTEMPTS or not _retryable(exc):
                raise
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            log.warning(
                "transaction retried",
                extra={"write": name, "attempt": attempt, "sqlstate": sqlstate},
            )
            time.sleep(random.uniform(0, BACKOFF_SECONDS * 2**attempt))  # noqa: S311 - jitter
    raise AssertionError("unreachable")  # pragma: no cover


def write_transaction(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a write service: the service is one transaction, retried whole on a
    deadlock or serialization failure when it is the outermost one (see `retrying`)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return retrying(lambda: fn(*args, **kwargs), name=fn.__qualname__)

    return run
