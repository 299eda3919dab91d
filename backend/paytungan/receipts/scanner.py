"""One receipt scan: upload bytes -> a draft for the itemized editor. Saves nothing.

Bounded so a scan never holds an API worker for long: at most RECEIPT_SCAN_CONCURRENCY scans run
at once in a process (a scan that finds them all busy is refused at once with 503 and
Retry-After, never queued), the image is downscaled to a fixed pixel budget before OCR, and
tesseract runs as a subprocess killed at RECEIPT_OCR_TIMEOUT_SECONDS (docs/decisions/0014).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from paytungan.common.errors import ApiError, Invalid
from paytungan.money import exponent, to_decimal_string
from paytungan.money.errors import UnknownCurrencyError
from paytungan.receipts import ocr, preprocess
from paytungan.receipts.parse import Receipt, parse_receipt
from paytungan.splitting.charges import canonical_charges

_slots = threading.BoundedSemaphore(settings.RECEIPT_SCAN_CONCURRENCY)


class ScannerBusy(ApiError):
    status = 503
    code = "scanner_busy"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("Every receipt scanner is busy; try again in a few seconds."),
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


class OcrFailed(ApiError):
    status = 503
    code = "ocr_unavailable"


_REJECTIONS = {
    # Not an image at all, or an image type we don't read: the media type is wrong.
    "not_an_image": 415,
    "unsupported_image_type": 415,
    # An image, but one we won't or can't decode.
    "corrupt_image": 422,
    "image_too_large": 422,
}


def check_currency(currency: str) -> str:
    try:
        exponent(currency)
    except UnknownCurrencyError:
        raise Invalid(
            _('Unknown currency "{currency}".').format(currency=currency),
            fields={"currency": [_("Unknown currency.")]},
        ) from None
    return currency


def scan(*, data: bytes, currency: str) -> Receipt:
    if not _slots.acquire(blocking=False):
        raise ScannerBusy(settings.RECEIPT_SCAN_RETRY_AFTER_SECONDS)
    try:
        try:
            prepared = preprocess.prepare(data)
        except preprocess.ImageRejected as exc:
            raise ApiError(exc.message, code=exc.code, status=_REJECTIONS[exc.code]) from None
        try:
            lines = ocr.read_lines(
                preprocess.to_png(prepared), timeout=settings.RECEIPT_OCR_TIMEOUT_SECONDS
            )
        except ocr.OcrTimeout:
            raise Invalid(
                _("The image took too long to read: send a closer, sharper photo of the receipt."),
                code="image_unreadable",
            ) from None
        except ocr.OcrUnavailable:
            raise OcrFailed(_("Receipt scanning is unavailable right now.")) from None
    finally:
        _slots.release()
    return parse_receipt(lines, currency=currency)


def _money(minor: int | None, currency: str) -> str | None:
    return None if minor is None else to_decimal_string(minor, currency)


def receipt_payload(receipt: Receipt) -> dict[str, Any]:
    currency = receipt.currency
    return {
        "currency": currency,
        "items": [
            {
                "name": item.name,
                "quantity": item.quantity,
                "unit_price": to_decimal_string(item.unit_price, currency),
            }
            for item in receipt.items
        ],
        "charges": canonical_charges(receipt.charges, currency),
        "subtotal": _money(receipt.subtotal, currency),
        "total": _money(receipt.total if receipt.total is not None else None, currency),
        "computed_total": _money(receipt.computed_total, currency),
        "lines": [{"text": line.text, "kind": line.kind} for line in receipt.lines],
        "warnings": [
            {
                "code": w.code,
                "message": w.message,
                "read": _money(w.read, currency),
                "computed": _money(w.computed, currency),
            }
            for w in receipt.warnings
        ],
    }
