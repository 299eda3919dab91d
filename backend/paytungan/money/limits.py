"""The largest amount Paytungan accepts.

MAX_AMOUNT = 10**12 - 1 minor units (999,999,999,999: a trillion rupiah less one, ten billion
dollars less a cent). Why this number:

* Balances and totals are summed in signed 64-bit database columns (max about 9.22 * 10**18).
  A sum of 10**6 amounts each <= 10**12 stays below 10**18, so even a million maximal bills in one
  group cannot overflow, with a factor of 9 to spare.
* 10**12 is far below 2**53 (about 9.0 * 10**15), so the browser can hold any single amount, and a
  sum of thousands of them, as an exact JavaScript number of minor units.
* No real shared bill comes close, in any currency in EXPONENTS.
"""

from paytungan.money.errors import AmountTooLargeError
from paytungan.money.format import to_decimal_string
from paytungan.money.text import Text as _

MAX_AMOUNT: int = 10**12 - 1


def check_amount(minor: int, currency: str) -> int:
    """Return ``minor`` if its magnitude is within MAX_AMOUNT, else raise AmountTooLargeError."""
    if abs(minor) > MAX_AMOUNT:
        raise AmountTooLargeError(
            _(
                "Amount {amount} {currency} is too large: the maximum is {maximum} {currency}.",
                amount=to_decimal_string(minor, currency),
                maximum=to_decimal_string(MAX_AMOUNT, currency),
                currency=currency,
            )
        )
    return minor
