from decimal import Decimal
from typing import Any

import pytest

from paytungan.money import percent_of
from paytungan.splitting import BillInput, ChargesInput, ItemInput, PayerInput, compute_bill

PEOPLE = list(range(1, 31))
ITEMS = tuple(
    ItemInput(
        f"Item {index}",
        1 + index % 3,
        str(10_000 + index * 137),
        tuple(PEOPLE[(index * 7) % 30 :][: 1 + index % 30] or PEOPLE[:1]),
    )
    for index in range(200)
)


def big_bill() -> BillInput:
    # Totals by hand with the tested money helpers, so the payer can match the bill.
    subtotal = sum(item.quantity * int(item.unit_price) for item in ITEMS)
    discounted = subtotal - 25_000
    service = percent_of(discounted, Decimal(5))
    tax = percent_of(discounted + service, Decimal(11))
    total = discounted + service + tax + 50_000
    return BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(1, str(total)),),
        items=ITEMS,
        charges=ChargesInput(discount="25000", service_percent="5", tax_percent="11", tip="50000"),
        total=str(total),
    )


@pytest.mark.bench
def test_bench_itemized_200_items_30_people(benchmark: Any) -> None:
    bill = big_bill()
    result = benchmark(compute_bill, bill)
    assert len(result.shares) == 30
    assert sum(result.shares.values()) == result.total
