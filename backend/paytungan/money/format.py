"""Rendering minor units as text: the canonical JSON string and a human display form."""

from collections.abc import Callable
from functools import cache

from paytungan.money.currencies import exponent
from paytungan.money.errors import UnknownLocaleError

# Indonesian convention: a symbol glued to the number ("Rp125.000", "US$12,50"); currencies without
# a familiar symbol fall back to their ISO code and a space.
_ID_SYMBOLS: dict[str, str] = {
    "IDR": "Rp",
    "USD": "US$",
    "SGD": "S$",
    "AUD": "AU$",
    "HKD": "HK$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "MYR": "RM",
}


def to_decimal_string(minor: int, currency: str) -> str:
    """Canonical major-unit string used in JSON: "125000" (IDR), "12.50" (USD), "-0.500" (KWD)."""
    return decimal_formatter(currency)(minor)


@cache
def decimal_formatter(currency: str) -> Callable[[int], str]:
    """`to_decimal_string` for one currency, its exponent looked up once: the hot reads render
    three amounts per member."""
    places = exponent(currency)
    if places == 0:
        return int.__str__  # "-125000": the sign and the digits, nothing else
    scale = 10**places

    def render(minor: int) -> str:
        whole, fraction = divmod(abs(minor), scale)
        return f"{'-' if minor < 0 else ''}{whole}.{fraction:0{places}d}"

    return render


def format_display(minor: int, currency: str, locale: str) -> str:
    """Human form: locale "id" -> "Rp125.000", "US$12,50"; "en" -> "IDR 125,000", "USD 12.50".

    Region suffixes are accepted ("id-ID", "en_US"); only the language decides the style.
    """
    places = exponent(currency)
    language = locale.replace("_", "-").split("-")[0].lower()
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**places)
    grouped = f"{whole:,}"
    decimals = f"{fraction:0{places}d}" if places else ""
    if language == "id":
        number = grouped.replace(",", ".") + (f",{decimals}" if decimals else "")
        symbol = _ID_SYMBOLS.get(currency)
        prefix = symbol if symbol is not None else f"{currency} "
        return f"{sign}{prefix}{number}"
    if language == "en":
        number = grouped + (f".{decimals}" if decimals else "")
        return f"{sign}{currency} {number}"
    raise UnknownLocaleError(f"Unknown locale {locale!r}: use 'id' or 'en'.")
