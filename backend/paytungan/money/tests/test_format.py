from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import (
    EXPONENTS,
    MAX_AMOUNT,
    UnknownLocaleError,
    format_display,
    to_decimal_string,
)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (125000, "IDR", "125000"),
        (0, "IDR", "0"),
        (1250, "USD", "12.50"),
        (5, "USD", "0.05"),
        (0, "USD", "0.00"),
        (500, "KWD", "0.500"),
        (1, "KWD", "0.001"),
        (-1250, "USD", "-12.50"),
        (-5, "USD", "-0.05"),
        (-125000, "IDR", "-125000"),
        (MAX_AMOUNT, "USD", "9999999999.99"),
    ],
)
def test_canonical_decimal_string(minor: int, currency: str, text: str) -> None:
    assert to_decimal_string(minor, currency) == text


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "text"),
    [
        (125000, "IDR", "id", "Rp125.000"),
        (150150, "IDR", "id-ID", "Rp150.150"),
        (1234567, "IDR", "id", "Rp1.234.567"),
        (500, "IDR", "id", "Rp500"),
        (-125000, "IDR", "id", "-Rp125.000"),
        (1250, "USD", "id", "US$12,50"),
        (123456789, "EUR", "id", "€1.234.567,89"),
        (1250, "MYR", "id", "RM12,50"),
        (500, "KWD", "id", "KWD 0,500"),
        (125000, "IDR", "en", "IDR 125,000"),
        (125000, "IDR", "en_US", "IDR 125,000"),
        (1250, "USD", "en", "USD 12.50"),
        (123456789, "USD", "en", "USD 1,234,567.89"),
        (-1250, "USD", "en", "-USD 12.50"),
        (500, "KWD", "en", "KWD 0.500"),
        (1000, "JPY", "en", "JPY 1,000"),
    ],
)
def test_display_follows_locale_conventions(
    minor: int, currency: str, locale: str, text: str
) -> None:
    assert format_display(minor, currency, locale) == text


def test_unknown_locale_is_rejected() -> None:
    with pytest.raises(UnknownLocaleError) as caught:
        format_display(1, "IDR", "fr")
    assert caught.value.message == "Unknown locale 'fr': use 'id' or 'en'."


@given(
    currency=st.sampled_from(sorted(EXPONENTS)),
    minor=st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT),
)
def test_display_digits_match_the_canonical_string(currency: str, minor: int) -> None:
    canonical = to_decimal_string(minor, currency)
    english = format_display(minor, currency, "en")
    assert english.replace(",", "").replace(f"{currency} ", "") == canonical
    assert english.startswith("-") == (minor < 0)
    indonesian = format_display(minor, currency, "id")
    digits = "".join(c for c in indonesian if c.isdigit())
    assert digits == "".join(c for c in canonical if c.isdigit())


@given(
    currency=st.sampled_from(sorted(EXPONENTS)),
    minor=st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT),
)
def test_canonical_string_is_the_exact_decimal_value(currency: str, minor: int) -> None:
    # Reference: Decimal arithmetic, no shared code with the formatter.
    text = to_decimal_string(minor, currency)
    places = EXPONENTS[currency]
    assert Decimal(text) == Decimal(minor).scaleb(-places)
    assert text == (f"{Decimal(minor).scaleb(-places):f}" if minor else f"{Decimal(0):.{places}f}")
