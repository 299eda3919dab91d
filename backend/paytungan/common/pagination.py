"""Cursor pagination, newest first: `?limit=&cursor=` -> {"items", "next_cursor"}.

The cursor is the sort key of the last item returned (opaque, base64 JSON), so pages stay stable
while new rows arrive and each page is one indexed range query whatever its depth.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from paytungan.common.errors import field_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise field_error("limit", f"limit must be between 1 and {MAX_LIMIT}.")
    return limit


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"d": value.isoformat(), "t": "dt" if isinstance(value, datetime) else "d"}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        raw = value["d"]
        return datetime.fromisoformat(raw) if value["t"] == "dt" else date.fromisoformat(raw)
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong size")
        decoded = [_decode_value(v) for v in values]
        if not all(isinstance(v, int | str | date) for v in decoded):
            raise ValueError("wrong type")
        return decoded
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise field_error("cursor", "The cursor is invalid; start again without it.") from None


def paginate(
    qs: QuerySet[M], *, fields: Sequence[str], limit: int | None, cursor: str | None
) -> tuple[list[M], str | None]:
    """Page `qs` ordered by `fields` descending (the last field must be unique, e.g. "id")."""
    size = clamp_limit(limit)
    if cursor:
        values = decode_cursor(cursor, len(fields))
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
