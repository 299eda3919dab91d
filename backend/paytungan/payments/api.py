"""Payments and balances: /api/groups/{gid}/... and /api/me/payments (settle-up and export
are read models: ledger/api.py).

Every group-scoped handler starts with the access helper, so a non-member gets 404 for anything
(common.handlers re-checks membership when the body or query is invalid).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from paytungan.accounts.auth import request_user
from paytungan.common.responses import shaped_json
from paytungan.groups.access import group_for_member
from paytungan.groups.locks import retrying
from paytungan.groups.models import Member
from paytungan.ops.idempotency import idempotent
from paytungan.payments import selectors, services
from paytungan.payments.access import payment_for_member
from paytungan.payments.schemas import (
    BalancesOut,
    MyPaymentListOut,
    PaymentIn,
    PaymentListOut,
    PaymentOut,
    PaymentStatusLiteral,
)

router = Router(tags=["payments"])
# GET /api/me/payments: payments waiting for me across all my groups.
me_payments_router = Router(tags=["payments"])


def _me(request: HttpRequest, gid: int) -> Member:
    user = request_user(request)
    me = group_for_member(user=user, group_id=gid)
    me.user = user  # the services name the actor in the activity log; saves a query
    return me


# --- payments ----------------------------------------------------------------------------------


@router.get("/{int:gid}/payments", response=PaymentListOut)
def payment_list(
    request: HttpRequest,
    gid: int,
    status: PaymentStatusLiteral | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    _me(request, gid)
    items, next_cursor = selectors.payment_list(
        group_id=gid, status=status, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("/{int:gid}/payments", response={201: PaymentOut})
def payment_record(request: HttpRequest, gid: int, payload: PaymentIn) -> Status[Any]:
    """Record a payment. Honours `Idempotency-Key`: a retry returns the first response."""
    me = _me(request, gid)

    def run() -> tuple[int, dict[str, Any]]:
        payment = services.payment_record(
            me=me,
            from_member_id=payload.from_member_id,
            to_member_id=payload.to_member_id,
            amount=payload.amount,
            currency=payload.currency,
            bill_id=payload.bill_id,
            note=payload.note,
        )
        return 201, selectors.payment_payload(payment, recorded_by_member_id=me.pk)

    # Retried whole on a deadlock: with an Idempotency-Key the outermost transaction is the
    # key's, so the retry must wrap it (groups.locks.retrying).
    status, body = retrying(
        lambda: idempotent(request, user=request_user(request), schema=PaymentOut, run=run),
        name="payments.create",
    )
    return Status(status, body)


@router.get("/{int:gid}/payments/{int:pid}", response=PaymentOut)
def payment_detail(request: HttpRequest, gid: int, pid: int) -> dict[str, Any]:
    _, payment = payment_for_member(user=request_user(request), group_id=gid, payment_id=pid)
    return selectors.payment_detail(group_id=gid, payment_id=payment.pk)


@router.post("/{int:gid}/payments/{int:pid}/confirm", response=PaymentOut)
def payment_confirm(request: HttpRequest, gid: int, pid: int) -> dict[str, Any]:
    me, payment = payment_for_member(user=request_user(request), group_id=gid, payment_id=pid)
    me.user = request_user(request)
    services.payment_confirm(me=me, payment_id=payment.pk)
    return selectors.payment_detail(group_id=gid, payment_id=payment.pk)


@router.post("/{int:gid}/payments/{int:pid}/reject", response=PaymentOut)
def payment_reject(request: HttpRequest, gid: int, pid: int) -> dict[str, Any]:
    me, payment = payment_for_member(user=request_user(request), group_id=gid, payment_id=pid)
    me.user = request_user(request)
    services.payment_reject(me=me, payment_id=payment.pk)
    return selectors.payment_detail(group_id=gid, payment_id=payment.pk)


@router.delete("/{int:gid}/payments/{int:pid}", response={204: None})
def payment_delete(request: HttpRequest, gid: int, pid: int) -> Status[None]:
    me, payment = payment_for_member(user=request_user(request), group_id=gid, payment_id=pid)
    me.user = request_user(request)
    services.payment_delete(me=me, payment_id=payment.pk)
    return Status(204, None)


@me_payments_router.get("", response=MyPaymentListOut)
def my_payments(
    request: HttpRequest,
    direction: Literal["incoming", "outgoing"] = "incoming",
    status: PaymentStatusLiteral = "pending",
    limit: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    items, next_cursor = selectors.my_payment_list(
        user=request_user(request), direction=direction, status=status, limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


# --- balances ---------------------------------------------------------------------------------


@router.get("/{int:gid}/balances", response=BalancesOut, tags=["balances"])
def balances(request: HttpRequest, gid: int) -> HttpResponse:
    me = _me(request, gid)
    return shaped_json(selectors.group_balances(group=me.group))
