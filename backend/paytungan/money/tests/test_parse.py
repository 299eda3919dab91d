from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import (
    EXPONENTS,
    MAX_AMOUNT,
    AmountTooLargeError,
    MoneyError,
    MoneyFormatError,
    UnknownCurrencyError,
    parse_amount,
    parse_decimal,
    to_decimal_string,
)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "USD", 1250),
        ("12.5", "USD", 1250),
        ("12", "USD", 1200),
        ("0.01", "USD", 1),
        ("0", "USD", 0),
        ("0.00", "USD", 0),
        ("125000", "IDR", 125000),
        ("0.500", "KWD", 500),
        ("1.5", "KWD", 1500),
        ("9999999999.99", "USD", MAX_AMOUNT),
        ("999999999999", "IDR", MAX_AMOUNT),
    ],
)
def test_valid_amounts_parse_to_minor_units(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.505", 'Amount "12.505" has 3 decimal places, but USD allows at most 2.'),
        ("1e3", 'Amount "1e3" uses exponent notation; write the digits out.'),
        ("1E-2", 'Amount "1E-2" uses exponent notation; write the digits out.'),
        ("NaN", 'Amount must be a finite number, not "NaN".'),
        ("nan", 'Amount must be a finite number, not "nan".'),
        ("Infinity", 'Amount must be a finite number, not "Infinity".'),
        ("-Infinity", 'Amount must be a finite number, not "-Infinity".'),
        ("inf", 'Amount must be a finite number, not "inf".'),
        (" 5", 'Amount " 5" must not contain spaces.'),
        ("5 ", 'Amount "5 " must not contain spaces.'),
        ("5\n", 'Amount "5\n" must not contain spaces.'),
        ("1 000", 'Amount "1 000" must not contain spaces.'),
        ("", "Amount is empty."),
        ("   ", "Amount is blank."),
        ("-5", 'Amount "-5" must not be negative.'),
        ("+5", 'Amount "+5" must not have a sign.'),
        (
            "1,000",
            'Amount "1,000" must not contain commas: use no thousands separator and "." for '
            'decimals, e.g. "1000.50".',
        ),
        (
            "12,50",
            'Amount "12,50" must not contain commas: use no thousands separator and "." for '
            'decimals, e.g. "1000.50".',
        ),
        ("05", 'Amount "05" must not have leading zeros.'),
        ("007", 'Amount "007" must not have leading zeros.'),
        ("00.50", 'Amount "00.50" must not have leading zeros.'),
        (".5", 'Amount ".5" needs digits on both sides of the decimal point.'),
        ("5.", 'Amount "5." needs digits on both sides of the decimal point.'),
        ("1.2.3", 'Amount "1.2.3" has more than one decimal point.'),
        ("\u0665", 'Amount "\u0665" may contain only the digits 0-9 and one ".".'),
        ("12abc", 'Amount "12abc" may contain only the digits 0-9 and one ".".'),
        ("0x10", 'Amount "0x10" may contain only the digits 0-9 and one ".".'),
    ],
)
def test_malformed_strings_are_rejected_with_a_precise_message(text: str, message: str) -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_amount(text, "USD")
    assert caught.value.message == message
    assert caught.value.code == "invalid_amount"


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (5, "the number 5"),
        (5.0, "the number 5.0"),
        (Decimal("5"), "the number 5"),
        (None, "null"),
        (True, "the boolean true"),
        (["5"], "a list"),
        (b"5", "a bytes"),
    ],
)
def test_non_strings_are_rejected_naming_what_arrived(value: object, described: str) -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_amount(value, "USD")
    assert (
        caught.value.message == f'Amount must be a decimal string such as "12.50", not {described}.'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("125000.5", 'Amount "125000.5" has decimals, but IDR has none.'),
        ("125000.00", 'Amount "125000.00" has decimals, but IDR has none.'),
        ("125000.0", 'Amount "125000.0" has decimals, but IDR has none.'),
    ],
)
def test_idr_accepts_no_decimals_at_all(text: str, message: str) -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_amount(text, "IDR")
    assert caught.value.message == message


def test_kwd_allows_three_decimals_but_not_four() -> None:
    assert parse_amount("1.234", "KWD") == 1234
    with pytest.raises(MoneyFormatError, match="KWD allows at most 3"):
        parse_amount("1.2345", "KWD")


def test_zero_can_be_forbidden() -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_amount("0.00", "USD", allow_zero=False)
    assert caught.value.message == "Amount must be greater than zero."


def test_field_label_names_the_value_in_messages() -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_amount("-1", "USD", field_label="Tip")
    assert caught.value.message == 'Tip "-1" must not be negative.'


@pytest.mark.parametrize("text", ["10000000000.00", "10000000000", "1" + "0" * 5000])
def test_amounts_over_the_maximum_are_too_large(text: str) -> None:
    with pytest.raises(AmountTooLargeError) as caught:
        parse_amount(text, "USD")
    assert caught.value.code == "amount_too_large"
    assert caught.value.message.endswith("is too large: the maximum is 9999999999.99 USD.")


def test_unknown_currency_is_reported_before_the_amount() -> None:
    with pytest.raises(UnknownCurrencyError):
        parse_amount("x", "XYZ")


def test_all_money_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        parse_amount("x", "USD")
    assert issubclass(MoneyFormatError, MoneyError)


@given(
    currency=st.sampled_from(sorted(EXPONENTS)),
    minor=st.integers(min_value=0, max_value=MAX_AMOUNT),
)
def test_parse_inverts_the_canonical_string(currency: str, minor: int) -> None:
    assert parse_amount(to_decimal_string(minor, currency), currency) == minor


@given(text=st.text(max_size=20))
def test_arbitrary_text_either_parses_or_raises_a_money_error(text: str) -> None:
    try:
        minor = parse_amount(text, "USD")
    except MoneyError:
        return
    assert 0 <= minor <= MAX_AMOUNT
    assert text == text.strip()
    assert Decimal(text) * 100 == minor


# parse_decimal: the same grammar, for percents, shares and rates.


@pytest.mark.parametrize(
    ("text", "places", "value"),
    [
        ("33.5", 2, Decimal("33.5")),
        ("100", 2, Decimal("100")),
        ("0", 4, Decimal("0")),
        ("1.2345", 4, Decimal("1.2345")),
        ("16250.5", 10, Decimal("16250.5")),
        ("0.0000615", 10, Decimal("0.0000615")),
    ],
)
def test_parse_decimal_accepts_plain_decimals(text: str, places: int, value: Decimal) -> None:
    parsed = parse_decimal(text, max_places=places, field_label="Percent")
    assert parsed == value
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "places", "message"),
    [
        ("33.333", 2, 'Percent "33.333" has 3 decimal places; at most 2 are allowed.'),
        ("1.5", 0, 'Percent "1.5" must be a whole number.'),
        ("1e2", 2, 'Percent "1e2" uses exponent notation; write the digits out.'),
        ("NaN", 2, 'Percent must be a finite number, not "NaN".'),
        ("-1", 2, 'Percent "-1" must not be negative.'),
        ("+1", 2, 'Percent "+1" must not have a sign.'),
        (" 1", 2, 'Percent " 1" must not contain spaces.'),
        ("", 2, "Percent is empty."),
        ("01", 2, 'Percent "01" must not have leading zeros.'),
        ("1" * 16, 2, "Percent is too large: at most 15 digits before the decimal point."),
    ],
)
def test_parse_decimal_is_as_strict_as_amounts(text: str, places: int, message: str) -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_decimal(text, max_places=places, field_label="Percent")
    assert caught.value.message == message


def test_parse_decimal_rejects_numbers() -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_decimal(33.5, max_places=2, field_label="Percent")
    assert (
        caught.value.message
        == 'Percent must be a decimal string such as "12.50", not the number 33.5.'
    )
