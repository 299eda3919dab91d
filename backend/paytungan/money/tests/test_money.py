import pytest

from paytungan.money import (
    MAX_AMOUNT,
    AmountTooLargeError,
    CurrencyMismatchError,
    Money,
    MoneyFormatError,
    UnknownCurrencyError,
)


def test_money_adds_and_subtracts_within_one_currency() -> None:
    assert Money(1250, "USD") + Money(5, "USD") == Money(1255, "USD")
    assert Money(1250, "USD") - Money(1300, "USD") == Money(-50, "USD")
    assert -Money(7, "IDR") == Money(-7, "IDR")


def test_mixing_currencies_is_an_error() -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        Money(1, "USD") + Money(1, "IDR")
    assert caught.value.message == "Cannot add IDR and USD amounts; convert first."
    with pytest.raises(CurrencyMismatchError):
        Money(1, "USD") - Money(1, "IDR")


def test_adding_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Money(1, "USD") + 1


@pytest.mark.parametrize("amount", [1.0, "1", True, None])
def test_amount_must_be_an_int(amount: object) -> None:
    with pytest.raises(MoneyFormatError):
        # Amounts of the wrong type on purpose; the runtime check is tested.
        Money(amount, "USD")  # type: ignore[arg-type]


def test_currency_must_be_known() -> None:
    with pytest.raises(UnknownCurrencyError):
        Money(1, "usd")


def test_amount_is_bounded() -> None:
    assert Money(-MAX_AMOUNT, "IDR").amount == -MAX_AMOUNT
    with pytest.raises(AmountTooLargeError):
        Money(MAX_AMOUNT + 1, "IDR")
    with pytest.raises(AmountTooLargeError):
        Money(MAX_AMOUNT, "IDR") + Money(1, "IDR")


def test_money_is_frozen_and_hashable() -> None:
    money = Money(1, "USD")
    with pytest.raises(AttributeError):
        # Assigning to a frozen field on purpose; the refusal is tested.
        money.amount = 2  # type: ignore[misc]
    assert {money, Money(1, "USD")} == {money}


def test_text_forms() -> None:
    money = Money.parse("125000", "IDR")
    assert money == Money(125000, "IDR")
    assert str(money) == "IDR 125,000"
    assert money.format("id") == "Rp125.000"
    assert money.to_decimal_string() == "125000"
    assert Money.zero("USD").to_decimal_string() == "0.00"
