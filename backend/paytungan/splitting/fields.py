"""Parse one raw JSON field, recording a failure under its dotted path instead of raising."""

from decimal import Decimal

from paytungan.money import MoneyError, parse_amount, parse_decimal, to_decimal_string
from paytungan.money.text import Text as _
from paytungan.splitting.errors import FieldErrors

PERCENT_PLACES = 2
HUNDRED = Decimal(100)


def amount_field(
    text: object,
    currency: str,
    path: str,
    errors: FieldErrors,
    *,
    label: str,
    allow_zero: bool = True,
) -> int | None:
    try:
        return parse_amount(text, currency, allow_zero=allow_zero, field_label=label)
    except MoneyError as error:
        errors.add(path, error.message)
        return None


def decimal_field(
    text: object, path: str, errors: FieldErrors, *, label: str, max_places: int
) -> Decimal | None:
    try:
        return parse_decimal(text, max_places=max_places, field_label=label)
    except MoneyError as error:
        errors.add(path, error.message)
        return None


def percent_field(text: object, path: str, errors: FieldErrors, *, label: str) -> Decimal | None:
    """A percent from 0 to 100 with at most two decimals."""
    value = decimal_field(text, path, errors, label=label, max_places=PERCENT_PLACES)
    if value is not None and value > HUNDRED:
        errors.add(path, _('{label} "{value}" must be at most 100.', label=label, value=text))
        return None
    return value


def member_id_field(value: object, path: str, errors: FieldErrors) -> bool:
    """True when ``value`` is a usable member id (an int; bool is refused despite subclassing)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    errors.add(path, _("Member id must be an integer, got {value}.", value=repr(value)))
    return False


def money_text(minor: int, currency: str) -> str:
    """An amount as messages show it: "150150 IDR", "12.50 USD"."""
    return f"{to_decimal_string(minor, currency)} {currency}"
