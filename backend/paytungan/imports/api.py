"""Imports under /api/groups/{gid}/imports: preview a Splitwise, ihatemoney or Spliit export,
then import it in one transaction."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from paytungan.accounts import throttle
from paytungan.accounts.auth import request_user
from paytungan.accounts.models import User
from paytungan.common.errors import ApiError, Invalid
from paytungan.groups.access import group_for_member
from paytungan.groups.models import Member
from paytungan.imports import services
from paytungan.imports.schemas import FormatLiteral, ImportOut, ImportPreviewOut

router = Router(tags=["imports"])


def _read(*, user: User, gid: int, file: UploadedFile) -> tuple[Member, bytes]:
    me = group_for_member(user=user, group_id=gid)
    throttle.check(
        throttle.Limit(f"imports:user:{user.pk}", settings.IMPORTS_PER_HOUR, 3600),
        message=_("Too many imports; try again later."),
    )
    limit = settings.IMPORT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ApiError(
            _("The file is {size} bytes; the limit is {limit}.").format(
                size=file.size, limit=limit
            ),
            code="payload_too_large",
            status=413,
            details={"limit": limit},
        )
    data = file.read(limit + 1)
    if len(data) > limit:  # pragma: no cover - the size above is the file's
        raise ApiError(_("The file is too large."), code="payload_too_large", status=413)
    return me, data


def _mapping(raw: str) -> dict[str, int | None]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        value = None
    ok = isinstance(value, dict) and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool) and v > 0)
        for v in value.values()
    )
    if not ok:
        message = _(
            "The mapping is a JSON object from each person's key in the file to a member id, "
            'or null to add them as a new guest: {"Ayu": 12, "Budi": null}.'
        )
        raise Invalid(message, fields={"mapping": [message]})
    return value


@router.post("/{int:gid}/imports/preview", response=ImportPreviewOut)
def import_preview(
    request: HttpRequest,
    gid: int,
    file: File[UploadedFile],
    format: Form[FormatLiteral],
) -> dict[str, Any]:
    """What importing the export (multipart: `file`, `format`) would create, and the people in
    it to map to members. Saves nothing. A file that can't be imported is a 422 whose message
    and `details.row` name the row."""
    me, data = _read(user=request_user(request), gid=gid, file=file)
    return services.import_preview(me=me, fmt=format, data=data)


@router.post("/{int:gid}/imports", response={201: ImportOut})
def import_create(
    request: HttpRequest,
    gid: int,
    file: File[UploadedFile],
    format: Form[FormatLiteral],
    mapping: Form[str] = "{}",
) -> Status[Any]:
    """Import the export in one transaction: new guests for the people mapped to null (or not
    mapped), then every bill and payment. `mapping` is a JSON object from the people's keys (see
    the preview) to member ids. The same file again is a 409 `already_imported`."""
    user = request_user(request)
    me, data = _read(user=user, gid=gid, file=file)
    result = services.import_run(me=me, user=user, fmt=format, data=data, mapping=_mapping(mapping))
    created = {g.pk for g in result.created_guests}
    record = result.record
    return Status(
        201,
        {
            "id": record.pk,
            "format": record.format,
            "digest": record.digest,
            "bills": record.bills,
            "payments": record.payments,
            "members": [
                {"key": k, "member_id": mid, "created": mid in created}
                for k, mid in result.member_ids.items()
            ],
        },
    )
