from __future__ import annotations

from typing import Literal

from pydantic import Field

from paytungan.common.schemas import InSchema, OutSchema

KindLiteral = Literal["pending_payment", "balance", "digest"]


class PreferencesOut(OutSchema):
    pending_payments: bool = Field(
        description="Remind me once about a payment to me that I have not confirmed after a day."
    )
    balance_reminders: bool = Field(description="Remind me when I have owed a group for N days.")
    balance_days: int = Field(description="N: days owed before a reminder, and between two.")
    weekly_digest: bool = Field(description="A weekly email: my groups' bills, payments, balances.")


class PreferencesPatchIn(InSchema):
    pending_payments: bool | None = None
    balance_reminders: bool | None = None
    balance_days: int | None = Field(default=None, ge=1, le=90)
    weekly_digest: bool | None = None


class UnsubscribeOut(OutSchema):
    kind: KindLiteral
    email: str = Field(description="The address, partly hidden: a***@example.com")
    subscribed: bool
