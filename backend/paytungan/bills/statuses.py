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
# (bill_id=, currency=) -> the same as SQL selecting (member id, minor units) rows, for a read
# that folds it into its own query (bills.store.stored_rows)
PaidBackSql = Callable[..., tuple[str, list[object]]]
_provider: PaidBack | None = None
_sql: PaidBackSql | None = None


def register(provider: PaidBack, sql: PaidBackSql | None = None) -> None:
    global _provider, _sql
    _provider = provider
    _sql = sql


def paid_back_query(*, bill_id: int, currency: str) -> tuple[str, list[object]] | None:
    """`paid_back` as a query of (member id, amount) rows (None: no provider, or one without
    SQL; then ask `paid_back`)."""
    return _sql(bill_id=bill_id, currency=currency) if _sql is not None else None


def paid_back(*, bill: Bill, currency: str) -> dict[int, int]:
    """Confirmed payments tied to the bill in `currency`, per paying member."""
    return _provider(bill=bill, currency=currency) if _provider is not None else {}
