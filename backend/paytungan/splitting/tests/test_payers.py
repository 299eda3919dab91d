import pytest

from paytungan.splitting import BillInput, MemberValueInput, PayerInput, SplitError, compute_bill


def bill_paid_by(*payers: PayerInput, total: str = "300000") -> BillInput:
    return BillInput(
        currency="IDR",
        mode="equal",
        payers=payers,
        members=(MemberValueInput(1, None), MemberValueInput(2, None)),
        total=total,
    )


def field_errors(bad: BillInput) -> dict[str, list[str]]:
    with pytest.raises(SplitError) as caught:
        compute_bill(bad)
    return caught.value.fields


def test_several_payers_are_recorded_by_member_id() -> None:
    result = compute_bill(bill_paid_by(PayerInput(7, "100000"), PayerInput(3, "200000")))
    assert result.paid == {3: 200000, 7: 100000}
    assert list(result.paid) == [3, 7]


def test_payers_must_cover_the_total_exactly() -> None:
    errors = field_errors(bill_paid_by(PayerInput(1, "100000"), PayerInput(2, "190000")))
    assert errors == {"payers": ["Payers paid 290000 IDR in all, but the total is 300000 IDR."]}


def test_at_least_one_payer() -> None:
    assert field_errors(bill_paid_by()) == {"payers": ["Add at least one payer."]}


def test_bad_amount_on_payer_one_names_that_payer() -> None:
    errors = field_errors(bill_paid_by(PayerInput(1, "150000"), PayerInput(2, "150000.5")))
    assert errors == {"payers.1.amount": ['Amount "150000.5" has decimals, but IDR has none.']}


def test_zero_payment_is_refused() -> None:
    errors = field_errors(bill_paid_by(PayerInput(1, "300000"), PayerInput(2, "0")))
    assert errors == {"payers.1.amount": ["Amount must be greater than zero."]}


def test_payer_listed_twice_is_refused_on_the_second_entry() -> None:
    errors = field_errors(bill_paid_by(PayerInput(1, "150000"), PayerInput(1, "150000")))
    assert errors == {"payers.1.member_id": ["Member 1 is listed as a payer more than once."]}


def test_payer_id_must_be_an_integer() -> None:
    # A string member id on purpose; the runtime check is tested.
    errors = field_errors(bill_paid_by(PayerInput("1", "300000")))  # type: ignore[arg-type]
    assert errors == {"payers.0.member_id": ["Member id must be an integer, got '1'."]}


def test_number_instead_of_string_is_refused() -> None:
    # A number amount on purpose; the runtime check is tested.
    errors = field_errors(bill_paid_by(PayerInput(1, 300000)))  # type: ignore[arg-type]
    assert errors == {
        "payers.0.amount": [
            'Amount must be a decimal string such as "12.50", not the number 300000.'
        ]
    }
