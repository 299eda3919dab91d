"""equal, exact, percent and shares: worked examples and the shape of their errors."""

import pytest
from hypothesis import given

from paytungan.splitting import (
    BillInput,
    MemberValueInput,
    PayerInput,
    SplitError,
    compute_bill,
)
from paytungan.splitting.tests.strategies import member_mode_bills


def bill(
    mode: str, values: dict[int, str | None], total: str, currency: str = "IDR", payer: int = 1
) -> BillInput:
    return BillInput(
        currency=currency,
        mode=mode,
        payers=(PayerInput(payer, total),),
        members=tuple(MemberValueInput(member, value) for member, value in values.items()),
        total=total,
        title="Test",
        date="2026-11-20",
    )


def field_errors(bad: BillInput) -> dict[str, list[str]]:
    with pytest.raises(SplitError) as caught:
        compute_bill(bad)
    assert caught.value.code == "invalid_split"
    return caught.value.fields


def test_equal_split_of_an_even_total() -> None:
    result = compute_bill(bill("equal", {1: None, 2: None, 3: None}, "300000"))
    assert result.shares == {1: 100000, 2: 100000, 3: 100000}
    assert result.breakdown is None


def test_equal_split_gives_the_odd_rupiah_to_one_member() -> None:
    # 100,000 / 3 = 33,333.33: 3 x 33,333 = 99,999, the one rupiah left goes to one member,
    # chosen by the tie key; 200,000 / 3 = 66,666.67 leaves two, for two members.
    result = compute_bill(bill("equal", {1: None, 2: None, 3: None}, "100000"))
    assert sorted(result.shares.values()) == [33333, 33333, 33334]
    result = compute_bill(bill("equal", {1: None, 2: None, 3: None}, "200000"))
    assert sorted(result.shares.values()) == [66666, 66667, 66667]


def test_equal_split_in_usd_cents() -> None:
    # USD 10.00 / 3 = 3.333: 333, 333, 334 cents.
    result = compute_bill(bill("equal", {4: None, 5: None, 6: None}, "10.00", "USD"))
    assert sorted(result.shares.values()) == [333, 333, 334]


def test_equal_mode_refuses_values() -> None:
    errors = field_errors(bill("equal", {1: None, 2: None, 3: "5"}, "100"))
    assert errors == {
        "split.members.2.value": ["Leave value empty (null) in equal mode: everyone pays the same."]
    }


def test_exact_amounts_are_kept_as_given() -> None:
    result = compute_bill(bill("exact", {1: "12.50", 2: "7.25", 3: "0"}, "19.75", "USD"))
    assert result.shares == {1: 1250, 2: 725, 3: 0}


def test_exact_amounts_that_do_not_add_up_name_the_difference() -> None:
    errors = field_errors(bill("exact", {1: "12.50", 2: "7.24"}, "19.75", "USD"))
    assert errors == {
        "split.members": [
            "Member amounts add up to 19.74 USD, 0.01 USD less than the total of 19.75 USD."
        ]
    }
    errors = field_errors(bill("exact", {1: "200000", 2: "150000"}, "300000"))
    assert errors["split.members"] == [
        "Member amounts add up to 350000 IDR, 50000 IDR more than the total of 300000 IDR."
    ]


def test_exact_mode_needs_every_value() -> None:
    errors = field_errors(bill("exact", {1: "100", 2: None}, "100"))
    assert errors == {"split.members.1.value": ["A value is required in exact mode."]}


def test_percent_split() -> None:
    # 50 / 33.33 / 16.67 % of 150,000 = 75,000 / 49,995 / 25,005 exactly.
    result = compute_bill(bill("percent", {1: "50", 2: "33.33", 3: "16.67"}, "150000"))
    assert result.shares == {1: 75000, 2: 49995, 3: 25005}


def test_percent_split_rounds_by_largest_remainder() -> None:
    # 33.34 / 33.33 / 33.33 % of 100 = 33.34 / 33.33 / 33.33: floors 33 each, the one unit
    # left goes to the largest remainder (.34) -> 34 / 33 / 33.
    result = compute_bill(bill("percent", {1: "33.34", 2: "33.33", 3: "33.33"}, "100"))
    assert result.shares == {1: 34, 2: 33, 3: 33}


@pytest.mark.parametrize(
    ("values", "path", "message"),
    [
        ({1: "50", 2: "49.5"}, "split.members", "Percents add up to 99.5, not 100."),
        ({1: "50", 2: "50.01"}, "split.members", "Percents add up to 100.01, not 100."),
        (
            {1: "100.5", 2: "0"},
            "split.members.0.value",
            'Percent "100.5" must be at most 100.',
        ),
        (
            {1: "33.333", 2: "66.667"},
            "split.members.0.value",
            'Percent "33.333" has 3 decimal places; at most 2 are allowed.',
        ),
        ({1: "-10", 2: "110"}, "split.members.0.value", 'Percent "-10" must not be negative.'),
    ],
)
def test_percent_errors(values: dict[int, str | None], path: str, message: str) -> None:
    errors = field_errors(bill("percent", values, "100"))
    assert message in errors[path]


def test_shares_split_with_a_zero_share() -> None:
    # 2 : 1 : 0 of 90,000 -> 60,000 / 30,000 / 0.
    result = compute_bill(bill("shares", {1: "2", 2: "1", 3: "0"}, "90000"))
    assert result.shares == {1: 60000, 2: 30000, 3: 0}


def test_fractional_shares() -> None:
    # 1.5 : 1 : 0.25 of 55 -> quotas 30 / 20 / 5 exactly.
    result = compute_bill(bill("shares", {1: "1.5", 2: "1", 3: "0.25"}, "55"))
    assert result.shares == {1: 30, 2: 20, 3: 5}


def test_shares_need_a_positive_share() -> None:
    errors = field_errors(bill("shares", {1: "0", 2: "0.0000"}, "100"))
    assert errors == {"split.members": ["At least one member needs a share greater than zero."]}


def test_shares_allow_four_decimals_only() -> None:
    errors = field_errors(bill("shares", {1: "1.23456", 2: "1"}, "100"))
    assert errors == {
        "split.members.0.value": ['Share "1.23456" has 5 decimal places; at most 4 are allowed.']
    }


def test_members_are_required_and_distinct() -> None:
    assert field_errors(bill("equal", {}, "100")) == {
        "split.members": ["Add at least one member to split between."]
    }
    duplicated = BillInput(
        currency="IDR",
        mode="equal",
        payers=(PayerInput(1, "100"),),
        members=(MemberValueInput(1, None), MemberValueInput(2, None), MemberValueInput(1, None)),
        total="100",
    )
    assert field_errors(duplicated) == {"split.members": ["Member 1 is listed more than once."]}


def test_several_bad_values_are_reported_together() -> None:
    errors = field_errors(bill("exact", {1: "1e3", 2: "NaN", 3: "5"}, "100"))
    assert errors == {
        "split.members.0.value": ['Amount "1e3" uses exponent notation; write the digits out.'],
        "split.members.1.value": ['Amount must be a finite number, not "NaN".'],
    }


@given(bill=member_mode_bills("exact"))
def test_exact_shares_equal_the_given_amounts(bill: BillInput) -> None:
    result = compute_bill(bill)
    given_shares: dict[int, int] = {}
    for member in bill.members:
        assert member.value is not None
        given_shares[member.member_id] = int(member.value.replace(".", ""))
    assert result.shares == given_shares


@given(bill=member_mode_bills("equal"))
def test_equal_shares_differ_by_at_most_one_unit(bill: BillInput) -> None:
    shares = list(compute_bill(bill).shares.values())
    assert max(shares) - min(shares) <= 1


@given(bill=member_mode_bills("percent"))
def test_percent_shares_are_floor_or_ceiling_of_the_exact_percentage(bill: BillInput) -> None:
    result = compute_bill(bill)
    for member in bill.members:
        assert member.value is not None
        hundredths = int(member.value.replace(".", ""))
        floor = result.total * hundredths // 10_000
        assert result.shares[member.member_id] in (floor, floor + 1)
