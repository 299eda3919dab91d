import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import MoneyError, convert
from paytungan.splitting import (
    BillInput,
    BillResult,
    MemberValueInput,
    PayerInput,
    SplitError,
    compute_bill,
    convert_result,
)
from paytungan.splitting.tests.strategies import bills
from paytungan.splitting.tests.test_itemized import dinner

A, B = 1, 2

USD_BILL = BillInput(
    currency="USD",
    mode="exact",
    payers=(PayerInput(A, "30.00"),),
    members=(MemberValueInput(A, "12.34"), MemberValueInput(B, "17.66")),
    total="30.00",
)


def test_usd_bill_converted_to_idr() -> None:
    # Total: 30.00 x 16,250.5 = 487,515 IDR exactly.
    # Shares in proportion to 12.34 : 17.66 -> quotas 200,531.17 and 286,983.83;
    # floors 200,531 + 286,983 = 487,514, the unit left goes to the larger remainder (B, .83).
    result = convert_result(compute_bill(USD_BILL), to_currency="IDR", rate="16250.5")
    assert result.currency == "IDR"
    assert result.total == 487515
    assert result.shares == {A: 200531, B: 286984}
    assert result.paid == {A: 487515}
    assert result.breakdown is None
    assert result.tie_key == compute_bill(USD_BILL).tie_key


def test_converted_total_is_rounded_once_half_up() -> None:
    # 12.34 USD at 16,250.5 = 200,531.17 IDR -> 200,531 (not the sum of rounded shares).
    bill = dataclasses.replace(
        USD_BILL,
        payers=(PayerInput(A, "12.34"),),
        members=(MemberValueInput(A, None), MemberValueInput(B, None)),
        mode="equal",
        total="12.34",
    )
    result = convert_result(compute_bill(bill), to_currency="IDR", rate=Decimal("16250.5"))
    assert result.total == 200531
    assert result.shares == {A: 100265, B: 100266} or result.shares == {A: 100266, B: 100265}


def test_idr_dinner_converted_to_usd_drops_the_breakdown() -> None:
    # 150,150 IDR x 0.0000615 = 9.234225 USD -> 9.23.
    result = convert_result(compute_bill(dinner()), to_currency="USD", rate="0.0000615")
    assert result.total == 923
    assert sum(result.shares.values()) == 923
    assert result.breakdown is None


def test_same_currency_at_rate_one_keeps_the_amounts() -> None:
    original = compute_bill(dinner())
    converted = convert_result(original, to_currency="IDR", rate="1")
    assert converted == dataclasses.replace(original, breakdown=None)


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("abc", 'Exchange rate "abc" may contain only the digits 0-9 and one ".".'),
        ("0", "Exchange rate must be greater than zero, got 0."),
        ("-1", 'Exchange rate "-1" must not be negative.'),
        ("1e3", 'Exchange rate "1e3" uses exponent notation; write the digits out.'),
        (
            "1.12345678901",
            'Exchange rate "1.12345678901" has 11 decimal places; at most 10 are allowed.',
        ),
        (Decimal("NaN"), "Exchange rate must be a finite number, not NaN."),
        (Decimal("0"), "Exchange rate must be greater than zero, got 0."),
        (
            Decimal("1.12345678901"),
            "Exchange rate 1.12345678901 has 11 decimal places; at most 10 are allowed.",
        ),
        (
            Decimal("1.00000000000000000000000000000001"),
            "Exchange rate 1.00000000000000000000000000000001 has 32 decimal places; "
            "at most 10 are allowed.",
        ),
        (
            16250.5,
            'Exchange rate must be a decimal string such as "12.50", not the number 16250.5.',
        ),
    ],
)
def test_bad_rates_name_exchange_rate(rate: object, message: str) -> None:
    with pytest.raises(SplitError) as caught:
        # A rate of the wrong type on purpose; the runtime check is tested.
        convert_result(compute_bill(USD_BILL), to_currency="IDR", rate=rate)  # type: ignore[arg-type]
    assert caught.value.fields == {"exchange_rate": [message]}


def test_rate_must_be_one_within_a_currency() -> None:
    with pytest.raises(SplitError) as caught:
        convert_result(compute_bill(USD_BILL), to_currency="USD", rate="1.1")
    assert caught.value.fields == {
        "exchange_rate": ["The bill is already in USD; the exchange rate must be 1."]
    }


def test_unknown_target_currency() -> None:
    with pytest.raises(SplitError) as caught:
        convert_result(compute_bill(USD_BILL), to_currency="XXX", rate="1")
    assert list(caught.value.fields) == ["currency"]


def test_a_total_that_converts_to_nothing_is_refused() -> None:
    with pytest.raises(SplitError) as caught:
        convert_result(compute_bill(USD_BILL), to_currency="IDR", rate="0.00001")
    assert caught.value.fields == {
        "exchange_rate": ["At this rate the total of 30.00 USD is 0 IDR."]
    }


def test_a_total_that_converts_to_too_much_is_refused() -> None:
    with pytest.raises(SplitError) as caught:
        convert_result(compute_bill(USD_BILL), to_currency="IDR", rate="99999999999")
    assert list(caught.value.fields) == ["exchange_rate"]
    assert "too large" in caught.value.fields["exchange_rate"][0]


rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("20000"), places=4)


@given(bill=bills, rate=rates, currency=st.sampled_from(["IDR", "USD", "KWD"]))
def test_converted_shares_and_payments_sum_to_the_converted_total(
    bill: BillInput, rate: Decimal, currency: str
) -> None:
    original = compute_bill(bill)
    if currency == original.currency:
        rate = Decimal(1)
    try:
        expected_total = convert(original.total, original.currency, currency, rate)
    except MoneyError:
        expected_total = 0
    if expected_total == 0:  # too large, or rounds to nothing: refused on the rate
        with pytest.raises(SplitError) as caught:
            convert_result(original, to_currency=currency, rate=rate)
        assert list(caught.value.fields) == ["exchange_rate"]
        return
    converted = convert_result(original, to_currency=currency, rate=rate)
    assert converted.total == expected_total
    assert sum(converted.shares.values()) == converted.total
    assert sum(converted.paid.values()) == converted.total
    assert set(converted.shares) == set(original.shares)
    assert set(converted.paid) == set(original.paid)
    _assert_proportional(converted.shares, original.shares, converted.total, original.total)
    _assert_proportional(converted.paid, original.paid, converted.total, original.total)
    assert convert_result(original, to_currency=currency, rate=rate) == converted


def _assert_proportional(
    converted: dict[int, int], original: dict[int, int], new_total: int, old_total: int
) -> None:
    for member_id, amount in original.items():
        floor = new_total * amount // old_total
        assert converted[member_id] in (floor, floor + 1)


def test_result_type_is_bill_result() -> None:
    assert isinstance(
        convert_result(compute_bill(USD_BILL), to_currency="IDR", rate="2"), BillResult
    )
