"""Money: an integer number of minor units tagged with its currency."""

from dataclasses import dataclass
from typing import Self

from paytungan.money.currencies import exponent
from paytungan.money.errors import CurrencyMismatchError, MoneyFormatError
from paytungan.money.format import format_display, to_decimal_string
from paytungan.money.limits import check_amount
from paytungan.money.parse import parse_amount


@dataclass(frozen=True, slots=True)
class Money:
    """A single amount; negative values are allowed (balances), magnitudes up to MAX_AMOUNT."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; True as "1 minor unit" would only ever be a bug.
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise MoneyFormatError(
                f"Money amount must be an int of minor units, not {type(self.amount).__name__}."
            )
        exponent(self.currency)
        check_amount(self.amount, self.currency)

    @classmethod
    def parse(cls, text: object, currency: str) -> Self:
        return cls(parse_amount(text, currency), currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        return cls(0, currency)

    def __add__(self, other: object) -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def to_decimal_string(self) -> str:
        return to_decimal_string(self.amount, self.currency)

    def format(self, locale: str = "en") -> str:
        return format_display(self.amount, self.currency, locale)

    def __str__(self) -> str:
        return self.format("en")

    def _require_same_currency(self, other: "Money", verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"Cannot {verb} {other.currency} and {self.currency} amounts; convert first."
            )
