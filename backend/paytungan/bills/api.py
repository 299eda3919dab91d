"""Bills under /api/groups/{gid}/bills: thin handlers over bills.services and bills.selectors;
a saved bill's payment status from bills.statuses (provided by payments).

Every handler starts with the access helper (membership first; a non-member gets 404). The
writes to an existing bill find it in their own lock statement (404 there if it is missing).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from paytungan.accounts.auth import request_user
from paytungan.bills import selectors, services, statuses
from paytungan.bills.access import bill_for_member
from paytungan.bills.schemas import (
    BillFilters,
    BillIn,
    BillListOut,
    BillOut,
    BillPreviewOut,
    BillUpdateIn,
)
from paytungan.common.responses import shaped_json
from paytungan.groups.access import group_for_member
from paytungan.groups.locks import retrying
from paytungan.ops.idempotency import has_idempotency_key, idempotent

router = Router(tags=["bills"])


def _out(saved: services.SavedBill, *, new: bool = False) -> dict[str, Any]:
    """The saved bill as BillOut; a new bill has no payments yet, and a write that read its
    payment status with the bill's rows has it: then no status query."""
    group = saved.bill.group
    if new:
        paid_back: dict[int, int] = {}
    elif saved.paid_back is not None:
        paid_back = saved.paid_back
    else:
        paid_back = statuses.paid_back(bill=saved.bill, currency=group.currency)
    return selectors.bill_payload(
        bill=saved.bill, group=group, payers=saved.payers, shares=saved.shares, paid_back=paid_back
    )


@router.get("/{int:gid}/bills", response=BillListOut)
def bill_list(request: HttpRequest, gid: int, filters: Query[BillFilters]) -> dict[str, Any]:
    me = group_for_member(user=request_user(request), group_id=gid)
    return selectors.bill_list(
        me=me,
        date_from=filters.date_from,
        date_to=filters.date_to,
        member_id=filters.member_id,
        category=filters.category,
        q=filters.q,
        limit=filters.limit,
        cursor=filters.cursor,
    )


@router.post("/{int:gid}/bills", response={201: BillOut})
def bill_create(request: HttpRequest, gid: int, payload: BillIn) -> Status[Any] | HttpResponse:
    """Create a bill. Honours `Idempotency-Key`: a retry returns the first response."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)

    def run() -> tuple[int, dict[str, Any]]:
        return 201, _out(services.bill_create(me=me, user=user, data=payload.to_data()), new=True)

    if not has_idempotency_key(request):
        # The service is its own transaction: one statement on PostgreSQL, no BEGIN or COMMIT.
        # Its payload is already BillOut's shape: sent as ninja would, without its second
        # validation (common/responses.py; tests/test_api_bills_shaped.py).
        status, body = run()
        return shaped_json(body, status=status)
    # Retried whole on a deadlock: with an Idempotency-Key the outermost transaction is the
    # key's, so the retry must wrap it (groups.locks.retrying).
    status, body = retrying(
        lambda: idempotent(request, user=user, schema=BillOut, run=run), name="bills.create"
    )
    return Status(status, body)


@router.post("/{int:gid}/bills/preview", response=BillPreviewOut)
def bill_preview(request: HttpRequest, gid: int, payload: BillIn) -> dict[str, Any]:
    """Compute a bill exactly as creating it would, and save nothing."""
    me = group_for_member(user=request_user(request), group_id=gid)
    return selectors.bill_preview(me=me, data=payload.to_data())


@router.get("/{int:gid}/bills/{int:bid}", response=BillOut)
def bill_detail(request: HttpRequest, gid: int, bid: int) -> dict[str, Any]:
    """A bill, also when deleted (then `deleted_at` is set, so it can be restored)."""
    me, bill = bill_for_member(
        user=request_user(request), group_id=gid, bill_id=bid, include_deleted=True
    )
    paid_back = statuses.paid_back(bill=bill, currency=me.group.currency)
    return selectors.bill_detail(bill=bill, group=me.group, paid_back=paid_back)


@router.put("/{int:gid}/bills/{int:bid}", response=BillOut)
def bill_update(request: HttpRequest, gid: int, bid: int, payload: BillUpdateIn) -> dict[str, Any]:
    """Replace a bill; `version` must be the current one (409 `stale_version` otherwise)."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)
    saved = services.bill_update(
        me=me, user=user, bill_id=bid, data=payload.to_data(), version=payload.version
    )
    return _out(saved)


@router.delete("/{int:gid}/bills/{int:bid}", response=BillOut)
def bill_delete(request: HttpRequest, gid: int, bid: int) -> dict[str, Any]:
    """Soft-delete a bill and return it (with `deleted_at`); 409 if already deleted."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)
    return _out(services.bill_delete(me=me, user=user, bill_id=bid))


@router.post("/{int:gid}/bills/{int:bid}/restore", response=BillOut)
def bill_restore(request: HttpRequest, gid: int, bid: int) -> dict[str, Any]:
    """Restore a deleted bill; 409 if it is not deleted."""
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)
    return _out(services.bill_restore(me=me, user=user, bill_id=bid))
