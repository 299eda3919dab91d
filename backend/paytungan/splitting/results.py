"""Computed bill: integer minor units per member, dicts ordered by member id."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Breakdown:
    """One member's part of an itemized bill; discount is the positive amount taken off."""

    items: int
    discount: int
    service: int
    tax: int
    tip: int
    total: int


@dataclass(frozen=True)
class BillResult:
    currency: str
    total: int
    paid: dict[int, int]
    shares: dict[int, int]
    breakdown: dict[int, Breakdown] | None
    tie_key: str
