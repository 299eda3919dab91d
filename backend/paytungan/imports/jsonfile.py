"""Reading a JSON export: numbers as Decimal (never float), a clear error when it isn't JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from paytungan.imports.core import ImportFileError
from paytungan.imports.splitwise import decode_text
from paytungan.money.text import Text as _


def load(data: bytes, *, what: str) -> Any:
    text = decode_text(data)

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=constant)
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(
            _("This is not {what}: the file is not valid JSON ({exc}).", what=what, exc=exc)
        ) from None


def text_field(obj: dict[str, Any], key: str, *, row: int, required: bool = True) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ImportFileError(_('"{key}" is missing or not text.', key=key), row=row, column=key)
    return value
