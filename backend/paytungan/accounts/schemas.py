from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from paytungan.common.schemas import InSchema, OutSchema


class CsrfOut(OutSchema):
    csrf_token: str


class RegisterIn(InSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    name: str = Field(min_length=1, max_length=100)


class LoginIn(InSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class PasswordResetIn(InSchema):
    email: str = Field(max_length=254)


class PasswordResetConfirmIn(InSchema):
    token: str = Field(max_length=300)
    password: str = Field(max_length=256)


class PasswordChangeIn(InSchema):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


PayoutMethodLiteral = Literal["", "bank", "ewallet", "other"]


class PayoutOut(OutSchema):
    method: str
    account_name: str
    account_number: str
    share_with_groups: bool


class PayoutIn(InSchema):
    method: PayoutMethodLiteral | None = None
    account_name: str | None = Field(default=None, max_length=100)
    account_number: str | None = Field(default=None, max_length=64)
    share_with_groups: bool | None = None


class MeOut(OutSchema):
    id: int
    email: str
    name: str
    username: str | None
    default_currency: str
    locale: str
    payout: PayoutOut


class SessionOut(OutSchema):
    """Who this browser is logged in as; `user` is null when nobody is."""

    user: MeOut | None


class MePatchIn(InSchema):
    email: str | None = Field(default=None, max_length=254)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    username: str | None = Field(default=None, max_length=30)
    default_currency: str | None = Field(default=None, min_length=3, max_length=3)
    locale: Literal["id", "en"] | None = None
    payout: PayoutIn | None = None


class TokenCreateIn(InSchema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(OutSchema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. Shown only in this response; store it now.")


class TokenListOut(OutSchema):
    items: list[TokenOut]
