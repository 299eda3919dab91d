"""Base classes for request/response schemas."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BaseModel, ConfigDict, field_validator


def _reject_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(_("Text may not contain NUL (\\u0000) characters."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _reject_nul(item)
    # Nested schemas (BaseModel) were already checked by their own validator, with a precise path.


class InSchema(Schema):
    """Request bodies reject unknown fields: a typo must not be silently ignored.

    Strings may not contain NUL characters: they are valid JSON, but PostgreSQL cannot store them,
    so letting one through would turn well-formed input into a 500 instead of a 422."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if not isinstance(value, BaseModel):
            _reject_nul(value)
        return value


class OutSchema(Schema):
    pass


class OkOut(OutSchema):
    ok: bool = True
