import dataclasses

import pytest

from paytungan.splitting import (
    BillInput,
    ChargesInput,
    ItemInput,
    PayerInput,
    SplitError,
    compute_bill,
)

BASE = BillInput(
    currency="IDR",
    mode="itemized",
    payers=(PayerInput(1, "100000"),),
    items=(ItemInput("Nasi goreng", 2, "25000", (1, 2)), ItemInput("Mie", 2, "25000", (3,))),
)


def with_charges(total: str | None = None, paid: str = "100000", **charges: str) -> BillInput:
    return dataclasses.replace(
        BASE, charges=ChargesInput(**charges), total=total, payers=(PayerInput(1, paid),)
    )


def field_errors(bad: BillInput) -> dict[str, list[str]]:
    with pytest.raises(SplitError) as caught:
        compute_bill(bad)
    return caught.value.fields


def test_charges_apply_in_order_discount_service_tax_tip() -> None:
    # subtotal 100,000; discount 5,000 + 10 % of 100,000 = 15,000 -> 85,000;
    # service 5 % of 85,000 = 4,250; tax 11 % of 89,250 = 9,817.5 -> 9,818 (half up);
    # tip 2,000; total 85,000 + 4,250 + 9,818 + 2,000 = 101,068.
    bill = with_charges(
        paid="101068",
        discount="5000",
        discount_percent="10",
        service_percent="5",
        tax_percent="11",
        tip="2000",
    )
    result = compute_bill(bill)
    assert result.total == 101068
    assert result.breakdown is not None
    totals = {
        charge: sum(getattr(part, charge) for part in result.breakdown.values())
        for charge in ("items", "discount", "service", "tax", "tip")
    }
    assert totals == {
        "items": 100000,
        "discount": 15000,
        "service": 4250,
        "tax": 9818,
        "tip": 2000,
    }
    # Member 3 had half the items, so half of each charge: 50,000 - 7,500 + 2,125 + 4,909 + 1,000.
    assert result.shares[3] == 50534


def test_given_total_must_match_the_computed_one() -> None:
    errors = field_errors(with_charges(total="110000", paid="110000", tax_percent="11"))
    assert errors == {
        "total": [
            "Total 110000 IDR does not match the items and charges, which come to 111000 IDR."
        ]
    }


def test_discount_larger_than_the_subtotal_is_refused() -> None:
    errors = field_errors(with_charges(discount="60000", discount_percent="50"))
    assert errors == {
        "split.charges.discount": [
            "Discount 110000 IDR is more than the items' subtotal 100000 IDR."
        ]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_percent", "100.01", 'Tax percent "100.01" must be at most 100.'),
        (
            "tax_percent",
            "10.125",
            'Tax percent "10.125" has 3 decimal places; at most 2 are allowed.',
        ),
        ("service_percent", "-5", 'Service percent "-5" must not be negative.'),
        (
            "discount_percent",
            "1e1",
            'Discount percent "1e1" uses exponent notation; write the digits out.',
        ),
        ("discount", "5000.5", 'Discount "5000.5" has decimals, but IDR has none.'),
        ("tip", "", "Tip is empty."),
    ],
)
def test_bad_charges_name_their_field(field: str, value: str, message: str) -> None:
    assert field_errors(with_charges(**{field: value})) == {f"split.charges.{field}": [message]}


def test_tax_of_100_percent_is_allowed() -> None:
    assert compute_bill(with_charges(paid="200000", tax_percent="100")).total == 200000


def test_a_free_bill_is_refused() -> None:
    bill = dataclasses.replace(with_charges(discount_percent="100"), payers=(PayerInput(1, "1"),))
    assert field_errors(bill) == {"total": ["The bill total must be greater than zero."]}


def test_a_tip_on_free_items_cannot_be_shared() -> None:
    bill = dataclasses.replace(
        with_charges(paid="5000", tip="5000"), items=(ItemInput("Air", 1, "0", (1, 2)),)
    )
    assert field_errors(bill) == {
        "split.charges.tip": ["A tip cannot be shared when every item is free."]
    }
