"""compute_bill as a whole: every mode's invariants, determinism, and which field an error names."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import MAX_AMOUNT, parse_amount
from paytungan.splitting import (
    BillInput,
    ChargesInput,
    ItemInput,
    MemberValueInput,
    PayerInput,
    SplitError,
    compute_bill,
)
from paytungan.splitting.tests.strategies import bills


def field_errors(bad: BillInput) -> dict[str, list[str]]:
    with pytest.raises(SplitError) as caught:
        compute_bill(bad)
    assert caught.value.code == "invalid_split"
    return caught.value.fields


EQUAL = BillInput(
    currency="IDR",
    mode="equal",
    payers=(PayerInput(1, "90000"),),
    members=(MemberValueInput(1, None), MemberValueInput(2, None), MemberValueInput(3, None)),
    total="90000",
)


@given(bill=bills)
def test_shares_sum_to_the_total_and_none_is_negative(bill: BillInput) -> None:
    result = compute_bill(bill)
    assert sum(result.shares.values()) == result.total
    assert all(share >= 0 for share in result.shares.values())
    assert 0 < result.total <= MAX_AMOUNT
    assert sum(result.paid.values()) == result.total
    assert list(result.shares) == sorted(result.shares)
    assert list(result.paid) == sorted(result.paid)
    if bill.total is not None:
        assert result.total == parse_amount(bill.total, bill.currency)


@given(bill=bills)
def test_recomputing_gives_the_identical_result(bill: BillInput) -> None:
    # A preview and the save of the same body must agree to the last unit.
    assert compute_bill(bill) == compute_bill(dataclasses.replace(bill))


@given(bill=bills, data=st.data())
def test_listing_order_of_payers_and_members_does_not_matter(
    bill: BillInput, data: st.DataObject
) -> None:
    shuffled = dataclasses.replace(
        bill,
        payers=tuple(data.draw(st.permutations(bill.payers))),
        members=tuple(data.draw(st.permutations(bill.members))),
    )
    assert compute_bill(shuffled) == compute_bill(bill)


def test_spelling_of_a_number_does_not_change_the_bill() -> None:
    usd = BillInput(
        currency="USD",
        mode="shares",
        payers=(PayerInput(1, "10.00"),),
        members=(MemberValueInput(1, "1"), MemberValueInput(2, "1"), MemberValueInput(3, "1")),
        total="10.00",
    )
    respelled = dataclasses.replace(
        usd,
        payers=(PayerInput(1, "10"),),
        members=(
            MemberValueInput(1, "1.0"),
            MemberValueInput(2, "1.00"),
            MemberValueInput(3, "1.0000"),
        ),
        total="10.0",
    )
    assert compute_bill(respelled) == compute_bill(usd)


def test_the_tie_key_depends_on_content_and_differs_between_bills() -> None:
    first = compute_bill(EQUAL)
    assert first.tie_key == compute_bill(EQUAL).tie_key
    assert len(first.tie_key) == 64
    assert compute_bill(dataclasses.replace(EQUAL, title="Other")).tie_key != first.tie_key
    assert compute_bill(dataclasses.replace(EQUAL, date="2026-01-01")).tie_key != first.tie_key


def test_odd_units_do_not_always_favour_the_same_member() -> None:
    favoured = set()
    for n in range(30):
        shares = compute_bill(
            dataclasses.replace(
                EQUAL, total="90001", payers=(PayerInput(1, "90001"),), title=str(n)
            )
        ).shares
        favoured.add(max(shares, key=shares.__getitem__))
    assert favoured == {1, 2, 3}


def test_unknown_mode_names_split_mode() -> None:
    errors = field_errors(dataclasses.replace(EQUAL, mode="evenly"))
    assert errors == {
        "split.mode": ["Unknown mode 'evenly': use one of equal, exact, percent, shares, itemized."]
    }


def test_unknown_currency_names_currency() -> None:
    errors = field_errors(dataclasses.replace(EQUAL, currency="RP"))
    assert errors == {
        "currency": [
            "Unknown currency 'RP': use an upper-case ISO 4217 code such as 'IDR' or 'USD'."
        ]
    }


def test_total_is_required_outside_itemized_mode() -> None:
    assert field_errors(dataclasses.replace(EQUAL, total=None)) == {
        "total": ["Total is required in equal mode."]
    }


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("0", "Total must be greater than zero."),
        ("-90000", 'Total "-90000" must not be negative.'),
        ("1000000000000", 'Total "1000000000000" is too large: the maximum is 999999999999 IDR.'),
        ("90000.00", 'Total "90000.00" has decimals, but IDR has none.'),
    ],
)
def test_bad_totals_name_total(total: str, message: str) -> None:
    errors = field_errors(dataclasses.replace(EQUAL, total=total))
    assert errors["total"] == [message]


def test_items_and_charges_are_refused_outside_itemized_mode() -> None:
    errors = field_errors(
        dataclasses.replace(
            EQUAL,
            items=(ItemInput("Sate", 1, "90000", (1,)),),
            charges=ChargesInput(tax_percent="10"),
        )
    )
    assert errors == {
        "split.items": ["Items are only used in itemized mode; leave them out."],
        "split.charges.tax_percent": [
            "Tax percent applies only to itemized bills; include it in the total instead and "
            "leave this 0."
        ],
    }


def test_zero_charges_spelled_differently_are_fine_outside_itemized_mode() -> None:
    bill = dataclasses.replace(EQUAL, charges=ChargesInput(tax_percent="0.00", tip="0"))
    assert compute_bill(bill) == compute_bill(EQUAL)


def test_members_are_refused_in_itemized_mode() -> None:
    bill = BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(1, "10000"),),
        members=(MemberValueInput(1, None),),
        items=(ItemInput("Kopi", 1, "10000", (1,)),),
    )
    assert field_errors(bill) == {
        "split.members": [
            "Itemized bills are split by who had each item; leave split.members empty."
        ]
    }


def test_many_problems_are_reported_at_once() -> None:
    bill = BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(1, "-5"), PayerInput(1, "100")),
        items=(
            ItemInput("Sate", 0, "12.5", (1, 2)),
            ItemInput("Teh", 1, "5000", (1,)),
            ItemInput("Es", 1, "5000", (2,)),
            ItemInput("Nasi", 1, "5000", ()),
        ),
        charges=ChargesInput(tax_percent="110", discount="abc"),
    )
    assert set(field_errors(bill)) == {
        "payers.0.amount",
        "payers.1.member_id",
        "split.items.0.quantity",
        "split.items.0.unit_price",
        "split.items.3.member_ids",
        "split.charges.tax_percent",
        "split.charges.discount",
    }


def test_split_error_message_lists_every_field() -> None:
    with pytest.raises(SplitError) as caught:
        compute_bill(dataclasses.replace(EQUAL, mode="evenly", total="x"))
    assert str(caught.value) == (
        "split.mode: Unknown mode 'evenly': use one of equal, exact, percent, shares, itemized.; "
        'total: Total "x" may contain only the digits 0-9 and one ".".'
    )
