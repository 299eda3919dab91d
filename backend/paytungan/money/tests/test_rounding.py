from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import (
    MAX_AMOUNT,
    AmountTooLargeError,
    InvalidRateError,
    MoneyError,
    MoneyFormatError,
    convert,
    percent_of,
    round_half_up_div,
)


def half_away_from_zero(value: Fraction) -> int:
    magnitude = int(abs(value) + Fraction(1, 2))  # int() truncates toward zero; abs >= 0
    return -magnitude if value < 0 else magnitude


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (5, 2, 3),
        (-5, 2, -3),
        (7, 2, 4),
        (4, 3, 1),
        (5, 3, 2),
        (-4, 3, -1),
        (-5, 3, -2),
        (5, -2, -3),
        (-5, -2, 3),
        (0, 7, 0),
        (1, 2, 1),
        (-1, 2, -1),
        (1, 3, 0),
    ],
)
def test_round_half_up_div_examples(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up_div(numerator, denominator) == expected


def test_division_by_zero_is_a_money_error() -> None:
    with pytest.raises(MoneyError, match="Cannot divide by zero"):
        round_half_up_div(1, 0)


@given(
    numerator=st.integers(min_value=-(10**30), max_value=10**30),
    denominator=st.integers(min_value=-(10**15), max_value=10**15).filter(bool),
)
def test_round_half_up_div_matches_exact_fractions(numerator: int, denominator: int) -> None:
    expected = half_away_from_zero(Fraction(numerator, denominator))
    assert round_half_up_div(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (130000, "5", 6500),
        (136500, "10", 13650),
        (1, "50", 1),  # 0.5 rounds up
        (3, "50", 2),  # 1.5 rounds up
        (1, "49.99", 0),
        (1999, "12.5", 250),  # 249.875
        (1000, "0", 0),
        (1000, "100", 1000),
        (-3, "50", -2),  # negative amounts round away from zero too
    ],
)
def test_percent_of_examples(amount: int, percent: str, expected: int) -> None:
    assert percent_of(amount, Decimal(percent)) == expected


@given(
    amount=st.integers(min_value=0, max_value=MAX_AMOUNT),
    hundredths=st.integers(min_value=0, max_value=10_000),
)
def test_percent_of_matches_exact_fractions(amount: int, hundredths: int) -> None:
    percent = Decimal(hundredths) / 100
    expected = half_away_from_zero(Fraction(amount * hundredths, 10_000))
    assert percent_of(amount, percent) == expected


def test_percent_must_be_a_finite_decimal() -> None:
    with pytest.raises(MoneyFormatError):
        percent_of(100, Decimal("NaN"))


@pytest.mark.parametrize(
    ("amount", "source", "target", "rate", "expected"),
    [
        # USD 12.34 * 16250.5 = IDR 200,531.17 -> 200,531
        (1234, "USD", "IDR", "16250.5", 200531),
        # USD 0.02 * 16250.5 = IDR 325.01 -> 325
        (2, "USD", "IDR", "16250.5", 325),
        # IDR 150,150 * 0.0000615 = USD 9.234225 -> 9.23
        (150150, "IDR", "USD", "0.0000615", 923),
        # KWD 0.500 * 3.25 = USD 1.625 -> 1.63 (half up)
        (500, "KWD", "USD", "3.25", 163),
        # USD 1.63 / 3.25 ~ KWD 0.5015384 -> 0.502
        (163, "USD", "KWD", "0.3076923", 502),
        (100, "JPY", "IDR", "108.7", 10870),
    ],
)
def test_convert_examples(amount: int, source: str, target: str, rate: str, expected: int) -> None:
    assert convert(amount, source, target, Decimal(rate)) == expected


@given(
    amount=st.integers(min_value=0, max_value=10**9),
    rate=st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("100000"), places=10),
    source=st.sampled_from(["IDR", "USD", "KWD"]),
    target=st.sampled_from(["IDR", "USD", "KWD"]),
)
def test_convert_matches_exact_fractions(
    amount: int, rate: Decimal, source: str, target: str
) -> None:
    places = {"IDR": 0, "USD": 2, "KWD": 3}
    exact = Fraction(amount, 10 ** places[source]) * Fraction(rate) * 10 ** places[target]
    expected = half_away_from_zero(exact)
    if expected > MAX_AMOUNT:
        with pytest.raises(AmountTooLargeError):
            convert(amount, source, target, rate)
    else:
        assert convert(amount, source, target, rate) == expected


@pytest.mark.parametrize("rate", ["0", "-1", "NaN", "Infinity"])
def test_convert_rejects_non_positive_or_non_finite_rates(rate: str) -> None:
    with pytest.raises(InvalidRateError):
        convert(100, "USD", "IDR", Decimal(rate))


def test_convert_rejects_results_over_the_maximum() -> None:
    with pytest.raises(AmountTooLargeError):
        convert(MAX_AMOUNT, "USD", "IDR", Decimal("16250.5"))
