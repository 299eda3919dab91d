"""Strict parsing of decimal strings from JSON into integer minor units or Decimals.

Accepted: ASCII digits, optionally one "." followed by at least one digit ("12.50", "0.5").
Rejected, each with its own message: non-strings (JSON numbers lose precision before we see them),
the empty string, surrounding or inner whitespace, signs ("-5", "+5"), exponents ("1e3"), NaN and
Infinity, thousands separators or decimal commas ("1,000"), a bare point (".5", "5."), non-ASCII
digits, and more decimals than allowed.

Leading zeros ("05", "007") are rejected: a canonical spelling keeps stored bodies, idempotency
comparisons and tie keys stable, and a stray leading zero is more often a typo than intended.
"0" and "0.50" are of course fine.
"""

import re
from decimal import Decimal

from paytungan.money.currencies import exponent
from paytungan.money.errors import AmountTooLargeError, MoneyFormatError
from paytungan.money.format import to_decimal_string
from paytungan.money.limits import MAX_AMOUNT

# [0-9], not \d: \d also matches non-ASCII digits such as Arabic-Indic ones.
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]+))?")
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_MAX_DECIMAL_INTEGER_DIGITS = 15
_MAX_AMOUNT_DIGITS = len(str(MAX_AMOUNT))


def parse_amount(
    text: object, currency: str, *, allow_zero: bool = True, field_label: str = "Amount"
) -> int:
    """Parse a major-unit decimal string ("12.50") into minor units (1250 for USD)."""
    places = exponent(currency)
    whole, fraction = _split_decimal(text, field_label)
    if len(fraction) > places:
        if places == 0:
            message = f"{field_label} {_quote(text)} has decimals, but {currency} has none."
        else:
            message = (
                f"{field_label} {_quote(text)} has {len(fraction)} decimal places, "
                f"but {currency} allows at most {places}."
            )
        raise MoneyFormatError(message)
    # The digit count is checked before int() so absurdly long strings never reach int().
    minor = 0
    if len(whole) <= _MAX_AMOUNT_DIGITS:
        minor = int(whole) * 10**places + int(fraction.ljust(places, "0") or "0")
    if len(whole) > _MAX_AMOUNT_DIGITS or minor > MAX_AMOUNT:
        raise AmountTooLargeError(
            f"{field_label} {_quote(text)} is too large: the maximum is "
            f"{to_decimal_string(MAX_AMOUNT, currency)} {currency}."
        )
    if minor == 0 and not allow_zero:
        raise MoneyFormatError(f"{field_label} must be greater than zero.")
    return minor


def parse_decimal(text: object, *, max_places: int, field_label: str) -> Decimal:
    """Parse a non-negative decimal string (percent, share, rate) with at most ``max_places``."""
    whole, fraction = _split_decimal(text, field_label)
    if len(fraction) > max_places:
        if max_places == 0:
            message = f"{field_label} {_quote(text)} must be a whole number."
        else:
            message = (
                f"{field_label} {_quote(text)} has {len(fraction)} decimal places; "
                f"at most {max_places} are allowed."
            )
        raise MoneyFormatError(message)
    if len(whole) > _MAX_DECIMAL_INTEGER_DIGITS:
        raise MoneyFormatError(
            f"{field_label} is too large: at most {_MAX_DECIMAL_INTEGER_DIGITS} digits "
            "before the decimal point."
        )
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _split_decimal(text: object, label: str) -> tuple[str, str]:
    if not isinstance(text, str):
        raise MoneyFormatError(
            f'{label} must be a decimal string such as "12.50", not {_describe(text)}.'
        )
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise MoneyFormatError(_diagnose(text, label))
    return match.group(1), match.group(2) or ""


def _diagnose(text: str, label: str) -> str:
    """Explain why ``text`` is not a plain decimal, most specific reason first."""
    shown = _quote(text)
    lowered = text.strip().lstrip("+-").lower()
    if text == "":
        return f"{label} is empty."
    if text.strip() == "":
        return f"{label} is blank."
    if any(char.isspace() for char in text):
        return f"{label} {shown} must not contain spaces."
    if lowered in _NON_FINITE:
        return f"{label} must be a finite number, not {shown}."
    if text.startswith("-"):
        return f"{label} {shown} must not be negative."
    if text.startswith("+"):
        return f"{label} {shown} must not have a sign."
    if re.fullmatch(r"[0-9.]+[eE][-+]?[0-9]+", text):
        return f"{label} {shown} uses exponent notation; write the digits out."
    if "," in text:
        return (
            f"{label} {shown} must not contain commas: use no thousands separator and "
            '"." for decimals, e.g. "1000.50".'
        )
    if re.fullmatch(r"0[0-9]+(\.[0-9]+)?", text):
        return f"{label} {shown} must not have leading zeros."
    if text.count(".") > 1:
        return f"{label} {shown} has more than one decimal point."
    if text.startswith(".") or text.endswith("."):
        return f"{label} {shown} needs digits on both sides of the decimal point."
    return f'{label} {shown} may contain only the digits 0-9 and one ".".'


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float | Decimal):
        return f"the number {value}"
    return f"a {type(value).__name__}"


def _quote(text: object) -> str:
    shown = str(text)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f'"{shown}"'
