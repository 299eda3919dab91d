"""Payment status of bills: what confirmed payments tied to a bill have paid back."""

from __future__ import annotations

from django.db.models import Sum

from paytungan.bills.models import Bill
from paytungan.payments.models import Payment, PaymentStatus


def bill_paid_back(*, bill: Bill, currency: str) -> dict[int, int]:
    """Confirmed payments tied to the bill, per paying member (one query)."""
    rows = (
        Payment.objects.filter(bill=bill, status=PaymentStatus.CONFIRMED, currency=currency)
        .values("from_member_id")
        .annotate(total=Sum("amount"))
        .values_list("from_member_id", "total")
    )
    return {member_id: int(total) for member_id, total in rows}
