from __future__ import annotations

from typing import Literal

from paytungan.common.schemas import OutSchema

LineKindLiteral = Literal["item", "charge", "subtotal", "total", "ignored"]


class ScanItemOut(OutSchema):
    name: str
    quantity: int
    unit_price: str


class ScanChargesOut(OutSchema):
    discount: str
    discount_percent: str
    service_percent: str
    tax_percent: str
    tip: str


class ScanLineOut(OutSchema):
    text: str
    kind: LineKindLiteral


class ScanWarningOut(OutSchema):
    code: str
    message: str
    read: str | None = None
    computed: str | None = None


class ReceiptScanOut(OutSchema):
    """A draft for the itemized editor: nothing is saved. `total` is the total printed on the
    receipt (null when none was read); `computed_total` is what the items and charges read add
    up to; they differ exactly when `warnings` has `total_mismatch`."""

    currency: str
    items: list[ScanItemOut]
    charges: ScanChargesOut
    subtotal: str | None
    total: str | None
    computed_total: str | None
    lines: list[ScanLineOut]
    warnings: list[ScanWarningOut]
