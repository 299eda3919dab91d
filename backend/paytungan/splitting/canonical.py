"""Canonical text for parsed values, and the content tie key built from them.

The tie key is derived from what the bill says, after parsing, never from a database id: a
preview and the saved bill therefore break rounding ties identically, "12.5" and "12.50" are the
same bill, and different bills favour different members.
"""

import hashlib
import json
from decimal import Decimal
from typing import Any

TIE_KEY_VERSION = 1


def canonical_decimal(value: Decimal) -> str:
    """Shortest plain form: Decimal("1.50") -> "1.5", Decimal("1E+2") -> "100"."""
    return format(value.normalize(), "f")


def tie_key(content: dict[str, Any]) -> str:
    """sha256 hex of the content serialized as compact JSON with sorted keys."""
    document = {"tie_key_version": TIE_KEY_VERSION, **content}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
