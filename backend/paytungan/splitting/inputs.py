"""Bill input as it arrives in JSON: amounts, percents and shares stay raw strings.

The core parses them itself so that every parse error can name the exact field it came from.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PayerInput:
    member_id: int
    amount: str


@dataclass(frozen=True)
class MemberValueInput:
    member_id: int
    value: str | None  # exact: amount, percent: "33.5", shares: "2", equal: None


@dataclass(frozen=True)
class ItemInput:
    name: str
    quantity: int
    unit_price: str
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class ChargesInput:
    discount: str = "0"
    discount_percent: str = "0"
    service_percent: str = "0"
    tax_percent: str = "0"
    tip: str = "0"


@dataclass(frozen=True)
class BillInput:
    currency: str
    mode: str
    payers: tuple[PayerInput, ...]
    members: tuple[MemberValueInput, ...] = ()
    items: tuple[ItemInput, ...] = ()
    charges: ChargesInput = ChargesInput()
    total: str | None = None
    title: str = ""
    date: str = ""
