"""POST /api/groups/{gid}/receipts/scan: a photo of a receipt -> a draft itemized bill."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from paytungan.accounts import throttle
from paytungan.accounts.auth import request_user
from paytungan.common.errors import ApiError, api_error_response
from paytungan.groups.access import group_for_member
from paytungan.receipts import scanner
from paytungan.receipts.schemas import ReceiptScanOut

router = Router(tags=["receipts"])


@router.post("/{int:gid}/receipts/scan", response=ReceiptScanOut)
def receipt_scan(
    request: HttpRequest,
    gid: int,
    image: File[UploadedFile],
    currency: str | None = None,
) -> dict[str, Any] | HttpResponse:
    """Read a receipt photo (multipart field `image`: JPEG, PNG or WebP, at most 10 MB) into
    items, charges and a total for the itemized editor. Saves nothing. `currency` defaults to
    the group's."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)
    throttle.check(
        throttle.Limit(f"receipts:user:{user.pk}", settings.RECEIPT_SCANS_PER_HOUR, 3600),
        message=_("Too many receipt scans; try again later."),
    )
    if image.size is not None and image.size > settings.RECEIPT_MAX_BYTES:
        raise ApiError(
            _("The image is {size} bytes; the limit is {limit}.").format(
                size=image.size, limit=settings.RECEIPT_MAX_BYTES
            ),
            code="payload_too_large",
            status=413,
            details={"limit": settings.RECEIPT_MAX_BYTES},
        )
    code = scanner.check_currency((currency or me.group.currency).upper())
    try:
        receipt = scanner.scan(data=image.read(), currency=code)
    except scanner.ScannerBusy as exc:
        response = api_error_response(exc)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return scanner.receipt_payload(receipt)
