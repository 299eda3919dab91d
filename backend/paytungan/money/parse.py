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
from paytungan.money.text import Text as _

# [0-9], not \d: \d also matches non-ASCII digits such as Arabic-Indic ones.
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]+))?")
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_MAX_DECIMAL_INTEGER_DIGITS = 15
_MAX_AMOUNT_DIGITS = len(str(MAX_AMOUNT))


def parse_amount(
    text: object, currency: str, *, allow_zero: bool = True, field_label: str | None = None
) -> int:
    """Parse a major-unit decimal string ("12.50") into minor units (1250 for USD)."""
    field_label = field_label or _("Amount")
    places = exponent(currency)
    whole, fraction = _split_decimal(text, field_label)
    if len(fraction) > places:
        if places == 0:
            message = _(
                "{label} {value} has decimals, but {currency} has none.",
                label=field_label,
                value=_quote(text),
                currency=currency,
            )
        else:
            message = _(
                "{label} {value} has {count} decimal places, but {currency} allows at most "
                "{places}.",
                label=field_label,
                value=_quote(text),
                count=len(fraction),
                currency=currency,
                places=places,
            )
        raise MoneyFormatError(message)
    # The digit count is checked before int() so absurdly long strings never reach int().
    minor = 0
    if len(whole) <= _MAX_AMOUNT_DIGITS:
        minor = int(whole) * 10**places + int(fraction.ljust(places, "0") or "0")
    if len(whole) > _MAX_AMOUNT_DIGITS or minor > MAX_AMOUNT:
        raise AmountTooLargeError(
            _(
                "{label} {value} is too large: the maximum is {maximum} {currency}.",
                label=field_label,
                value=_quote(text),
                maximum=to_decimal_string(MAX_AMOUNT, currency),
                currency=currency,
            )
        )
    if minor == 0 and not allow_zero:
        raise MoneyFormatError(_("{label} must be greater than zero.", label=field_label))
    return minor


def parse_decimal(text: object, *, max_places: int, field_label: str) -> Decimal:
    """Parse a non-negative decimal string (percent, share, rate) with at most ``max_places``."""
    whole, fraction = _split_decimal(text, field_label)
    if len(fraction) > max_places:
        if max_places == 0:
            message = _(
                "{label} {value} must be a whole number.", label=field_label, value=_quote(text)
            )
        else:
            message = _(
                "{label} {value} has {count} decimal places; at most {places} are allowed.",
                label=field_label,
                value=_quote(text),
                count=len(fraction),
                places=max_places,
            )
        raise MoneyFormatError(message)
    if len(whole) > _MAX_DECIMAL_INTEGER_DIGITS:
        raise MoneyFormatError(
            _(
                "{label} is too large: at most {digits} digits before the decimal point.",
                label=field_label,
                digits=_MAX_DECIMAL_INTEGER_DIGITS,
            )
        )
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _split_decimal(text: object, label: str) -> tuple[str, str]:
    if not isinstance(text, str):
        raise MoneyFormatError(
            _(
                '{label} must be a decimal string such as "12.50", not {kind}.',
                label=label,
                kind=_describe(text),
            )
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
        return _("{label} is empty.", label=label)
    if text.strip() == "":
        return _("{label} is blank.", label=label)
    if any(char.isspace() for char in text):
        return _("{label} {value} must not contain spaces.", label=label, value=shown)
    if lowered in _NON_FINITE:
        return _("{label} must be a finite number, not {value}.", label=label, value=shown)
    if text.startswith("-"):
        return _("{label} {value} must not be negative.", label=label, value=shown)
    if text.startswith("+"):
        return _("{label} {value} must not have a sign.", label=label, value=shown)
    if re.fullmatch(r"[0-9.]+[eE][-+]?[0-9]+", text):
        return _(
            "{label} {value} uses exponent notation; write the digits out.",
            label=label,
            value=shown,
        )
    if "," in text:
        return _(
            "{label} {value} must not contain commas: use no thousands separator and "
            '"." for decimals, e.g. "1000.50".',
            label=label,
            value=shown,
        )
    if re.fullmatch(r"0[0-9]+(\.[0-9]+)?", text):
        return _("{label} {value} must not have leading zeros.", label=label, value=shown)
    if text.count(".") > 1:
        return _("{label} {value} has more than one decimal point.", label=label, value=shown)
    if text.startswith(".") or text.endswith("."):
        return _(
            "{label} {value} needs digits on both sides of the decimal point.",
            label=label,
            value=shown,
        )
    return _(
        '{label} {value} may contain only the digits 0-9 and one ".".', label=label, value=shown
    )


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("the boolean {value}", value=str(value).lower())
    if isinstance(value, int | float | Decimal):
        return _("the number {value}", value=value)
    return _("a {type}", type=type(value).__name__)


def _quote(text: object) -> str:
    shown = str(text)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f'"{shown}"'
