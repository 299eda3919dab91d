"""One entry point for every format: bytes in, a ParsedImport (or an ImportFileError) out."""

from __future__ import annotations

from paytungan.imports import ihatemoney, spliit, splitwise
from paytungan.imports.core import FORMATS, ImportFileError, ParsedImport
from paytungan.money.text import Text as _


def parse_file(*, fmt: str, data: bytes, default_currency: str) -> ParsedImport:
    if fmt == "splitwise":
        return splitwise.parse(data)
    if fmt == "ihatemoney":
        return ihatemoney.parse(data, default_currency=default_currency)
    if fmt == "spliit":
        return spliit.parse(data, default_currency=default_currency)
    raise ImportFileError(
        _("Unknown format {fmt}; use one of {formats}.", fmt=repr(fmt), formats=", ".join(FORMATS))
    )
