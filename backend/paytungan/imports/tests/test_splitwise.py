"""The Splitwise CSV parser: bills and payments rebuilt from each member's net per row."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paytungan.imports import splitwise
from paytungan.imports.core import ImportFileError
from paytungan.imports.testing import splitwise_csv

HEADER = "Date,Description,Category,Cost,Currency,Ayu,Budi,Citra\n\n"


def parse(body: str, header: str = HEADER) -> splitwise.ParsedImport:
    return splitwise.parse((header + body).encode())


def test_a_bill_paid_by_one_member_keeps_the_cost_and_the_payers_own_share() -> None:
    parsed = parse("2026-11-01,Dinner,Dining out,90.00,USD,60.00,-30.00,-30.00\n")
    (bill,) = parsed.bills
    assert parsed.currency == "USD"
    assert (bill.row, bill.title, bill.category, bill.total) == (3, "Dinner", "food", 9000)
    assert dict(bill.payers) == {"Ayu": 9000}
    assert dict(bill.shares) == {"Ayu": 3000, "Budi": 3000, "Citra": 3000}


def test_a_payment_row_becomes_a_payment_from_the_member_who_is_up() -> None:
    parsed = parse("2026-11-02,Budi paid Ayu,Payment,30.00,USD,-30.00,30.00,0.00\n")
    (payment,) = parsed.payments
    assert (payment.from_key, payment.to_key, payment.amount) == ("Budi", "Ayu", 3000)
    assert parsed.bills == ()


def test_two_members_up_share_what_they_kept_in_proportion_to_their_nets() -> None:
    parsed = parse("2026-11-03,Villa,Hotel,300.00,USD,100.00,50.00,-150.00\n")
    (bill,) = parsed.bills
    assert bill.total == 30000
    assert dict(bill.payers) == {"Ayu": 20000, "Budi": 10000}
    assert dict(bill.shares) == {"Citra": 15000, "Ayu": 10000, "Budi": 5000}
    assert parsed.balances() == {"Ayu": 10000, "Budi": 5000, "Citra": -15000}


def test_a_row_with_no_effect_is_skipped_and_a_total_row_is_checked() -> None:
    parsed = parse(
        "2026-11-01,Own lunch,General,10.00,USD,0.00,0.00,0.00\n"
        "2026-11-01,Taxi,Taxi,10.00,USD,-3.33,6.67,-3.34\n\n"
        "2026-11-30,Total balance, , ,USD,-3.33,6.67,-3.34\n"
    )
    assert len(parsed.bills) == 1
    assert parsed.stated_balances == parsed.balances() == {"Ayu": -333, "Budi": 667, "Citra": -334}


def test_idr_amounts_written_with_zero_decimals_are_whole_rupiah() -> None:
    parsed = parse("2026-11-01,Sate,Dining out,90000.00,IDR,60000.00,-30000.00,-30000.00\n")
    assert parsed.bills[0].total == 90000


@pytest.mark.parametrize(
    ("body", "row", "words"),
    [
        ("2026-11-01,Dinner,Food,90.00,USD,60.00,-30.00\n", 3, "columns"),
        ("2026-11-01,Dinner,Food,90.00,USD,60.00,-30.00,-20.00\n", 3, "add up to zero"),
        ("2026-11-01,Dinner,Food,90.00,USD,60.00,-30.00,abc\n", 3, "not a number"),
        ("yesterday,Dinner,Food,90.00,USD,60.00,-30.00,-30.00\n", 3, "not a date"),
        ("2026-11-01,Dinner,Food,90.00,XYZ,60.00,-30.00,-30.00\n", 3, "Unknown currency"),
        ("2026-11-01,Dinner,Food,90.005,USD,60.005,-30.00,-30.005\n", 3, "more decimals"),
        (
            "2026-11-01,A,Food,9.00,USD,6.00,-3.00,-3.00\n2026-11-02,B,Food,9.00,EUR,6.00,-3.00,-3.00\n",
            4,
            "one currency",
        ),
        (
            "2026-11-01,A,Food,9.00,USD,6.00,-3.00,-3.00\n\n"
            "2026-11-30,Total balance, , ,USD,6.00,-3.00,-2.00\n",
            5,
            "doesn't match",
        ),
    ],
)
def test_a_malformed_row_is_refused_naming_the_row(body: str, row: int, words: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse(body)
    assert caught.value.row == row
    assert caught.value.message.startswith(f"Row {row}: ")
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00binary", "UTF-8"),
        (b"Date,Description\n2026-11-01,x\n", "not a Splitwise export"),
        (b"Date,Description,Category,Cost,Currency,Ayu,ayu\n", "same name"),
        (HEADER.encode(), "no bills or payments"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(ImportFileError, match=words):
        splitwise.parse(data)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=120), st.integers(min_value=0, max_value=10_000))
def test_balances_are_the_column_sums_of_any_export(rows: int, seed: int) -> None:
    data, sums = splitwise_csv(rows=rows, seed=seed)
    if not any(sums.values()) and "Payment" not in data.decode():
        # Possibly every row is someone paying only for themselves: nothing to import.
        try:
            parsed = splitwise.parse(data)
        except ImportFileError as exc:
            message = exc.message
        else:
            message = ""
        if message:
            assert "no bills or payments" in message
            return
    parsed = splitwise.parse(data)
    assert parsed.balances() == sums
    for bill in parsed.bills:
        assert sum(bill.payers.values()) == sum(bill.shares.values()) == bill.total
        assert all(v > 0 for v in [*bill.payers.values(), *bill.shares.values()])


def test_every_mapped_category_is_one_of_the_bills() -> None:
    from paytungan.bills.models import Category
    from paytungan.imports.core import CATEGORIES, category_for

    assert set(CATEGORIES) == set(Category.values)
    for name in ("Dining out", "Groceries", "Taxi", "Hotel", "Electricity", "Movies", "Gifts", "?"):
        assert category_for(name) in CATEGORIES
