"""Cursor pagination, newest first: `?limit=&cursor=` -> {"items", "next_cursor"}.

The cursor is the sort key of the last item returned (opaque, base64 JSON), so pages stay stable
while new rows arrive and each page is one indexed range query whatever its depth.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.db import connection
from django.db.models import CharField, DateField, DateTimeField, Model, Q, QuerySet, TextField
from django.utils.translation import gettext as _

from paytungan.common.errors import field_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise field_error("limit", _("limit must be between 1 and {max}.").format(max=MAX_LIMIT))
    return limit


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"d": value.isoformat(), "t": "dt" if isinstance(value, datetime) else "d"}
    return value


# A cursor is a handful of short values: anything much longer is not one of ours.
MAX_CURSOR_LENGTH = 1024


class _BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class _Kind:
    """What one sort field accepts from a cursor, taken from the model field itself so that a
    value that reaches the SQL can never make the database fail (a 500 and a Sentry event)."""

    name: str  # "int", "date", "datetime" or "str"
    low: int = 0
    high: int = 0
    max_length: int | None = None


def cursor_kind(model: type[Model], name: str) -> _Kind:
    field = model._meta.get_field(name)  # also knows a foreign key's attname ("group_id")
    if field.is_relation:
        field = field.target_field  # type: ignore[union-attr]
    if isinstance(field, DateTimeField):
        return _Kind("datetime")
    if isinstance(field, DateField):
        return _Kind("date")
    internal = field.get_internal_type()
    if internal.endswith(("IntegerField", "AutoField")):
        low, high = connection.ops.integer_field_range(internal)
        # PostgreSQL's ranges; other backends report None for "unbounded": use bigint's.
        return _Kind(
            "int", low=-(2**63) if low is None else low, high=2**63 - 1 if high is None else high
        )
    if isinstance(field, CharField | TextField):
        return _Kind("str", max_length=getattr(field, "max_length", None))
    raise TypeError(f"cannot paginate on {model.__name__}.{name} ({internal})")


def _decode_value(value: Any, kind: _Kind) -> Any:
    if kind.name == "int":
        # bool is an int in Python; a float (1.5, 1e3) is never one of our ids.
        if type(value) is not int or not kind.low <= value <= kind.high:
            raise _BadCursor("not an integer in range")
        return value
    if kind.name == "str":
        if not isinstance(value, str) or "\x00" in value:
            raise _BadCursor("not a string")  # PostgreSQL rejects NUL in text
        if kind.max_length is not None and len(value) > kind.max_length:
            raise _BadCursor("too long")
        return value
    tag = "dt" if kind.name == "datetime" else "d"
    if not isinstance(value, dict) or set(value) != {"d", "t"} or value["t"] != tag:
        raise _BadCursor("not a date")
    raw = value["d"]
    if not isinstance(raw, str) or len(raw) > 40:
        raise _BadCursor("not a date")
    if tag == "d":
        return date.fromisoformat(raw)
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise _BadCursor("a naive datetime")
    # Normalised to UTC here, where an out-of-range year raises OverflowError, rather than in
    # the database adapter.
    return moment.astimezone(UTC)


def _reject_constant(name: str) -> Any:
    raise _BadCursor(f"{name} is not JSON")


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[_Kind]) -> list[Any]:
    """The cursor's values, each checked against its field; anything else is a 422."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
            raise _BadCursor("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded.encode(), altchars=b"-_", validate=True)
        values = json.loads(raw.decode(), parse_constant=_reject_constant)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise _BadCursor("wrong size")
        return [_decode_value(v, k) for v, k in zip(values, kinds, strict=True)]
    except (ValueError, OverflowError, RecursionError):  # binascii, JSON, Unicode, dates
        raise field_error("cursor", _("The cursor is invalid; start again without it.")) from None


def paginate(
    qs: QuerySet[M], *, fields: Sequence[str], limit: int | None, cursor: str | None
) -> tuple[list[M], str | None]:
    """Page `qs` ordered by `fields` descending (the last field must be unique, e.g. "id")."""
    size = clamp_limit(limit)
    if cursor:
        values = decode_cursor(cursor, [cursor_kind(qs.model, f) for f in fields])
        # Keyset condition for a descending lexicographic order: (a, b) < (va, vb).
        condition = Q()
        for i, field in enumerate(fields):
            step = Q(**{f"{field}__lt": values[i]})
            for prior, prior_value in zip(fields[:i], values[:i], strict=False):
                step &= Q(**{prior: prior_value})
            condition |= step
        qs = qs.filter(condition)
    rows = list(qs.order_by(*[f"-{f}" for f in fields])[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, f) for f in fields])
    return rows, next_cursor
