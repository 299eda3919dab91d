"""ISO 4217 currency exponents (number of minor-unit digits).

IDR is the one deliberate deviation: ISO 4217 gives it 2 decimals, but nobody in Indonesia writes
or pays sen, and banks transfer whole rupiah, so Paytungan treats it as a 0-decimal currency.
"""

from paytungan.money.errors import UnknownCurrencyError
from paytungan.money.text import Text as _

EXPONENTS: dict[str, int] = {
    # 0 decimals
    "IDR": 0,  # ISO says 2; see module docstring
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "PYG": 0,
    "UGX": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # 2 decimals
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CHF": 2,
    "SGD": 2,
    "MYR": 2,
    "THB": 2,
    "PHP": 2,
    "BND": 2,
    "KHR": 2,
    "LAK": 2,
    "MMK": 2,
    "AUD": 2,
    "NZD": 2,
    "CAD": 2,
    "CNY": 2,
    "HKD": 2,
    "MOP": 2,
    "TWD": 2,
    "INR": 2,
    "PKR": 2,
    "BDT": 2,
    "LKR": 2,
    "NPR": 2,
    "AED": 2,
    "SAR": 2,
    "QAR": 2,
    "TRY": 2,
    "ILS": 2,
    "EGP": 2,
    "ZAR": 2,
    "NGN": 2,
    "KES": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RUB": 2,
    "BRL": 2,
    "MXN": 2,
    "ARS": 2,
    "COP": 2,
    "PEN": 2,
    # 3 decimals
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
    "LYD": 3,
    "IQD": 3,
}


def exponent(code: str) -> int:
    """Minor-unit digits of ``code``; codes are matched exactly (upper case, as ISO writes them)."""
    try:
        return EXPONENTS[code]
    except (KeyError, TypeError):
        raise UnknownCurrencyError(
            _(
                "Unknown currency {code}: use an upper-case ISO 4217 code such as 'IDR' or 'USD'.",
                code=repr(code),
            )
        ) from None
