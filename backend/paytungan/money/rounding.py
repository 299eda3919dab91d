"""Exact rounding helpers: integer or Decimal-ratio arithmetic, rounded half-up exactly once."""

from decimal import Decimal

from paytungan.money.currencies import exponent
from paytungan.money.errors import InvalidRateError, MoneyError, MoneyFormatError
from paytungan.money.limits import check_amount


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero.

    "Half up" for money means a half unit always goes to the larger magnitude, so a negative
    balance rounds symmetrically to its positive counterpart: -2.5 -> -3 as 2.5 -> 3.
    """
    if denominator == 0:
        raise MoneyError("Cannot divide by zero.")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def percent_of(amount: int, percent: Decimal) -> int:
    """amount * percent / 100, rounded half-up to the minor unit."""
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise MoneyFormatError(f"Percent must be a finite Decimal, got {percent!r}.")
    numerator, denominator = percent.as_integer_ratio()
    return round_half_up_div(amount * numerator, denominator * 100)


def convert(amount: int, from_currency: str, to_currency: str, rate: Decimal) -> int:
    """Convert minor units of ``from_currency`` into minor units of ``to_currency``.

    ``rate`` is to-currency major units per one from-currency major unit (16250.5 IDR per USD).
    The exact product is rounded half-up once; the result must stay within MAX_AMOUNT.
    """
    if not isinstance(rate, Decimal) or not rate.is_finite():
        raise InvalidRateError(f"Exchange rate must be a finite Decimal, got {rate!r}.")
    numerator, denominator = rate.as_integer_ratio()
    if numerator <= 0:
        raise InvalidRateError(f"Exchange rate must be greater than zero, got {rate}.")
    scale_from = 10 ** exponent(from_currency)
    scale_to = 10 ** exponent(to_currency)
    converted = round_half_up_div(amount * numerator * scale_to, denominator * scale_from)
    return check_amount(converted, to_currency)
