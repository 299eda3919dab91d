"""Typed money errors.

Every error carries a stable machine-readable ``code`` (the API puts it in ``error.code``) and a
message precise enough to show to the person who typed the value.
"""


class MoneyError(ValueError):
    """Base class; subclasses ValueError so generic callers can still catch it."""

    code: str = "invalid_money"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MoneyFormatError(MoneyError):
    code = "invalid_amount"


class UnknownCurrencyError(MoneyError):
    code = "unknown_currency"


class AmountTooLargeError(MoneyError):
    code = "amount_too_large"


class AllocationError(MoneyError):
    code = "invalid_allocation"


class CurrencyMismatchError(MoneyError):
    code = "currency_mismatch"


class UnknownLocaleError(MoneyError):
    code = "unknown_locale"


class InvalidRateError(MoneyError):
    code = "invalid_exchange_rate"
