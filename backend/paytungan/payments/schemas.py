from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, Strict

from paytungan.common.schemas import InSchema, OutSchema

PaymentStatusLiteral = Literal["pending", "confirmed", "rejected"]
# A JSON integer within PostgreSQL's bigint: not a string of digits, not true/false.
Id = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]

# --- payments ----------------------------------------------------------------------------------


class PaymentIn(InSchema):
    from_member_id: Id = Field(description="The member who handed over the money.")
    to_member_id: Id = Field(description="The member who received it.")
    amount: str = Field(
        max_length=40,
        description='Decimal string in major units, greater than zero (e.g. "50000").',
        examples=["50000"],
    )
    currency: str = Field(
        min_length=3, max_length=3, description="Must be the group's currency.", examples=["IDR"]
    )
    bill_id: Id | None = Field(default=None, description="A live bill of the group it pays.")
    note: str = Field(default="", max_length=200)


class PaymentOut(OutSchema):
    id: int
    from_member_id: int
    to_member_id: int
    amount: str = Field(description="Decimal string in major units.")
    currency: str
    bill_id: int | None
    note: str
    status: PaymentStatusLiteral = Field(
        description="Only confirmed payments move balances; confirmed at once when recorded by "
        "the receiver or when the receiver is a guest."
    )
    is_overpayment: bool = Field(
        description="More than the payer owed the receiver when recorded (allowed, flagged)."
    )
    recorded_by_member_id: int | None = Field(
        description="The recorder's member id; null when their account was deleted."
    )
    created_at: datetime
    decided_at: datetime | None = Field(description="When it was confirmed or rejected.")


class PaymentListOut(OutSchema):
    items: list[PaymentOut]
    next_cursor: str | None


class MyPaymentOut(PaymentOut):
    group_id: int
    group_name: str
    from_member_name: str
    to_member_name: str
    recorded_by_member_name: str | None = Field(
        description="The recorder's name in the group; null when their account was deleted."
    )


class MyPaymentListOut(OutSchema):
    items: list[MyPaymentOut]
    next_cursor: str | None


# --- balances and settle-up --------------------------------------------------------------------


class BalanceOut(OutSchema):
    member_id: int
    name: str
    paid: str = Field(description="Bill payer amounts plus confirmed payments sent.")
    owed: str = Field(description="Bill shares plus confirmed payments received.")
    balance: str = Field(description="paid - owed; positive = the group owes this member.")


class BalancesOut(OutSchema):
    currency: str
    items: list[BalanceOut] = Field(description="Active members; the balances sum to zero.")


class PayoutDetailsOut(OutSchema):
    method: str
    account_name: str
    account_number: str


class TransferOut(OutSchema):
    from_member_id: int
    to_member_id: int
    amount: str
    currency: str
    payout: PayoutDetailsOut | None = Field(
        description="The receiver's payout details if they share them with their groups."
    )


class SettleOut(OutSchema):
    items: list[TransferOut]
