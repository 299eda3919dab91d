"""The read models' routes: /api/groups/{gid}/settle and /api/groups/{gid}/export.

The operation ids are part of the HTTP contract (docs/openapi.json, the frontend's generated
types), so they keep the names they had when these routes were served from payments/api.py.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from paytungan.accounts.auth import request_user
from paytungan.groups.access import group_for_member
from paytungan.ledger import export
from paytungan.ledger.settle import group_settle
from paytungan.payments.schemas import SettleOut

router = Router(tags=["balances"])


@router.get(
    "/{int:gid}/settle",
    response=SettleOut,
    operation_id="paytungan_payments_api_settle_up",
)
def settle_up(request: HttpRequest, gid: int) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return group_settle(group=me.group)


_EXPORT_RESPONSES = {
    200: {
        "description": "The group as a file download (Content-Disposition: attachment).",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": list(export.JSON_KEYS),
                    "properties": {key: {} for key in export.JSON_KEYS},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/{int:gid}/export",
    tags=["groups"],
    openapi_extra={"responses": _EXPORT_RESPONSES},
    operation_id="paytungan_payments_api_group_export",
)
def group_export(
    request: HttpRequest, gid: int, format: Literal["json", "csv"] = "json"
) -> HttpResponse:
    me = group_for_member(user=request_user(request), group_id=gid)
    return export.group_export_response(me=me, fmt=format)
