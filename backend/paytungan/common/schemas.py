"""Base classes for request/response schemas."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InSchema(Schema):
    """Request bodies reject unknown fields: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class OutSchema(Schema):
    pass


class OkOut(OutSchema):
    ok: bool = True
