import pytest

from paytungan.money import MAX_AMOUNT, AmountTooLargeError, check_amount

INT64_MAX = 2**63 - 1
JS_MAX_SAFE_INTEGER = 2**53 - 1


def test_a_million_maximal_amounts_fit_in_a_signed_64_bit_column() -> None:
    assert 10**6 * MAX_AMOUNT <= INT64_MAX


def test_a_maximal_amount_is_exact_in_javascript() -> None:
    assert 1000 * MAX_AMOUNT <= JS_MAX_SAFE_INTEGER


def test_amounts_up_to_the_maximum_pass_either_sign() -> None:
    assert check_amount(MAX_AMOUNT, "IDR") == MAX_AMOUNT
    assert check_amount(-MAX_AMOUNT, "IDR") == -MAX_AMOUNT


def test_one_more_than_the_maximum_is_rejected_with_both_numbers() -> None:
    with pytest.raises(AmountTooLargeError) as caught:
        check_amount(MAX_AMOUNT + 1, "USD")
    assert caught.value.code == "amount_too_large"
    assert caught.value.message == (
        "Amount 10000000000.00 USD is too large: the maximum is 9999999999.99 USD."
    )
