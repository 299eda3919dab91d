import pytest

from paytungan.money import EXPONENTS, UnknownCurrencyError, exponent


@pytest.mark.parametrize(
    ("code", "places"),
    [
        ("IDR", 0),
        ("JPY", 0),
        ("KRW", 0),
        ("VND", 0),
        ("USD", 2),
        ("EUR", 2),
        ("SGD", 2),
        ("MYR", 2),
        ("GBP", 2),
        ("AUD", 2),
        ("THB", 2),
        ("PHP", 2),
        ("CNY", 2),
        ("HKD", 2),
        ("INR", 2),
        ("KWD", 3),
        ("BHD", 3),
    ],
)
def test_exponent_follows_iso_4217_except_idr(code: str, places: int) -> None:
    assert exponent(code) == places


def test_idr_is_a_zero_decimal_currency_by_design() -> None:
    assert EXPONENTS["IDR"] == 0


def test_every_code_is_three_upper_case_letters_with_a_sane_exponent() -> None:
    for code, places in EXPONENTS.items():
        assert len(code) == 3
        assert code.isascii()
        assert code.isupper()
        assert places in (0, 2, 3)


@pytest.mark.parametrize("code", ["idr", "XXX", "", "US", "USDD", None, 840])
def test_unknown_currency_is_rejected_with_a_precise_error(code: object) -> None:
    with pytest.raises(UnknownCurrencyError) as caught:
        # Codes of the wrong type on purpose; the runtime check is tested.
        exponent(code)  # type: ignore[arg-type]
    assert caught.value.code == "unknown_currency"
    assert repr(code) in caught.value.message
