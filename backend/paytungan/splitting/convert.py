"""Converting a computed bill into the group's currency, once, at save time.

The converted total is rounded half-up once; shares and payments are then allocated from that
total in proportion to the original shares and payments, so they still sum exactly to it.
The breakdown is NOT converted (it is None in the result): converting each component separately
could not keep both the per-member and per-charge sums exact, and the original bill, with its
breakdown in its own currency, is kept alongside the rate anyway.
Members keep their entries even where a converted amount rounds to 0.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import NoReturn

from paytungan.money import MoneyError, allocate, convert, exponent, parse_decimal
from paytungan.money.text import Text as _
from paytungan.splitting.errors import SplitError
from paytungan.splitting.fields import money_text
from paytungan.splitting.results import BillResult

RATE_PLACES = 10


def convert_result(result: BillResult, *, to_currency: str, rate: str | Decimal) -> BillResult:
    try:
        exponent(to_currency)
    except MoneyError as error:
        raise SplitError({"currency": [error.message]}) from None
    parsed_rate = _parse_rate(rate)
    if to_currency == result.currency and parsed_rate != 1:
        _fail(
            _(
                "The bill is already in {currency}; the exchange rate must be 1.",
                currency=to_currency,
            )
        )
    try:
        total = convert(result.total, result.currency, to_currency, parsed_rate)
    except MoneyError as error:
        _fail(
            _(
                "At this rate the total is too large in {currency}: {reason}",
                currency=to_currency,
                reason=error.message,
            )
        )
    if total == 0:
        _fail(
            _(
                "At this rate the total of {total} is 0 {currency}.",
                total=money_text(result.total, result.currency),
                currency=to_currency,
            )
        )
    return BillResult(
        currency=to_currency,
        total=total,
        paid=_in_proportion(total, result.paid, f"{result.tie_key}:convert:paid"),
        shares=_in_proportion(total, result.shares, f"{result.tie_key}:convert:shares"),
        breakdown=None,
        tie_key=result.tie_key,
    )


def _parse_rate(rate: object) -> Decimal:
    if isinstance(rate, Decimal):
        if not rate.is_finite():
            _fail(_("Exchange rate must be a finite number, not {rate}.", rate=rate))
        places = _decimal_places(rate)
        if places > RATE_PLACES:
            _fail(
                _(
                    "Exchange rate {rate} has {count} decimal places; "
                    "at most {places} are allowed.",
                    rate=rate,
                    count=places,
                    places=RATE_PLACES,
                )
            )
        parsed = rate
    else:
        try:
            parsed = parse_decimal(rate, max_places=RATE_PLACES, field_label=_("Exchange rate"))
        except MoneyError as error:
            _fail(error.message)
    if parsed <= 0:
        _fail(_("Exchange rate must be greater than zero, got {rate}.", rate=parsed))
    return parsed


def _decimal_places(value: Decimal) -> int:
    """Decimals needed to write ``value`` exactly (trailing zeros do not count).

    Counted on the digits rather than via normalize(), which rounds to the context precision.
    """
    _, digits, exponent_ = value.as_tuple()
    if not isinstance(exponent_, int) or not any(digits):
        return 0
    places, end = -exponent_, len(digits)
    while places > 0 and end > 0 and digits[end - 1] == 0:
        places, end = places - 1, end - 1
    return max(places, 0)


def _in_proportion(total: int, amounts: Mapping[int, int], tie_key: str) -> dict[int, int]:
    member_ids = sorted(amounts)
    if not any(amounts.values()):
        return dict.fromkeys(member_ids, 0)
    parts = allocate(total, [amounts[member_id] for member_id in member_ids], tie_key)
    return dict(zip(member_ids, parts, strict=True))


def _fail(message: str) -> NoReturn:
    raise SplitError({"exchange_rate": [message]})
