"""A bill's payment status: what confirmed payments tied to it have paid back, per member.

The payments hold that, and bills can't import them (a payment points at a bill), so the
payments app provides it: PaymentsConfig.ready registers `payments.selectors.bill_paid_back`
here (as apps register their personal-data export in accounts/exporters.py). Without payments
installed nothing is paid back.
"""

from __future__ import annotations

from collections.abc import Callable

from paytungan.bills.models import Bill

# (bill=, currency=) -> {member id: minor units paid back}, one query
PaidBack = Callable[..., dict[int, int]]
_provider: PaidBack | None = None


def register(provider: PaidBack) -> None:
    global _provider
    _provider = provider


def paid_back(*, bill: Bill, currency: str) -> dict[int, int]:
    """Confirmed payments tied to the bill in `currency`, per paying member."""
    return _provider(bill=bill, currency=currency) if _provider is not None else {}
