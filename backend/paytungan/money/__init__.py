"""Money: integer minor units, ISO 4217 exponents, strict parsing, exact allocation.

Pure Python; no Django import. Floats never appear on the money path.
"""

from paytungan.money.allocate import allocate
from paytungan.money.currencies import EXPONENTS, exponent
from paytungan.money.errors import (
    AllocationError,
    AmountTooLargeError,
    CurrencyMismatchError,
    InvalidRateError,
    MoneyError,
    MoneyFormatError,
    UnknownCurrencyError,
    UnknownLocaleError,
)
from paytungan.money.format import decimal_formatter, format_display, to_decimal_string
from paytungan.money.limits import MAX_AMOUNT, check_amount
from paytungan.money.money import Money
from paytungan.money.parse import parse_amount, parse_decimal
from paytungan.money.rounding import convert, percent_of, round_half_up_div

__all__ = [
    "EXPONENTS",
    "MAX_AMOUNT",
    "AllocationError",
    "AmountTooLargeError",
    "CurrencyMismatchError",
    "InvalidRateError",
    "Money",
    "MoneyError",
    "MoneyFormatError",
    "UnknownCurrencyError",
    "UnknownLocaleError",
    "allocate",
    "check_amount",
    "convert",
    "decimal_formatter",
    "exponent",
    "format_display",
    "parse_amount",
    "parse_decimal",
    "percent_of",
    "round_half_up_div",
    "to_decimal_string",
]
