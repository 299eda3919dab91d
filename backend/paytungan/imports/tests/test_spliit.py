"""The Spliit JSON parser: Spliit's own split (largest remainder, FNV-seeded rotation)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from paytungan.imports import spliit
from paytungan.imports.core import ImportFileError


def group(*expenses: dict[str, Any], code: str | None = "USD") -> dict[str, Any]:
    return {
        "id": "g1",
        "name": "Trip",
        "currency": "$",
        "currencyCode": code,
        "participants": [
            {"id": "pa", "name": "Ayu"},
            {"id": "pb", "name": "Budi"},
            {"id": "pc", "name": "Citra"},
        ],
        "expenses": list(expenses),
    }


def expense(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "e1",
        "expenseDate": "2026-11-01T00:00:00.000Z",
        "title": "Dinner",
        "category": {"grouping": "Food and Drink", "name": "Dining Out"},
        "amount": 1000,
        "paidById": "pa",
        "isReimbursement": False,
        "splitMode": "EVENLY",
        "paidFor": [
            {"participantId": "pa", "shares": 1},
            {"participantId": "pb", "shares": 1},
            {"participantId": "pc", "shares": 1},
        ],
        "notes": None,
    }
    return base | kw


def parse(data: dict[str, Any], currency: str = "USD") -> spliit.ParsedImport:
    return spliit.parse(json.dumps(data).encode(), default_currency=currency)


def test_fnv1a_matches_the_reference_values() -> None:
    # Published FNV-1a 32-bit test vectors.
    assert spliit.fnv1a("") == 0x811C9DC5
    assert spliit.fnv1a("a") == 0xE40C292C
    assert spliit.fnv1a("foobar") == 0xBF9CF968


def test_an_even_split_gives_the_extra_unit_where_spliit_does() -> None:
    # 1000 over 3: one participant gets 334; which one follows fnv1a(id) % 3.
    for eid in ("e1", "e2", "e3", "cm123"):
        shares = spliit.expense_shares(eid, 1000, "EVENLY", [("pa", 1), ("pb", 1), ("pc", 1)])
        lucky = ["pa", "pb", "pc"][spliit.fnv1a(eid) % 3]
        assert shares == {p: 334 if p == lucky else 333 for p in ("pa", "pb", "pc")}


def test_shares_percentages_and_amounts_are_ratios() -> None:
    assert spliit.expense_shares("x", 1000, "BY_AMOUNT", [("pa", 700), ("pb", 300)]) == {
        "pa": 700,
        "pb": 300,
    }
    assert spliit.expense_shares("x", 1000, "BY_PERCENTAGE", [("pb", 2500), ("pa", 7500)]) == {
        "pa": 750,
        "pb": 250,
    }
    assert spliit.expense_shares("x", 10, "BY_SHARES", [("pa", 200), ("pb", 100)]) == {
        "pa": 7,
        "pb": 3,
    }


def test_the_export_becomes_bills_and_payments_with_spliits_balances() -> None:
    data = group(
        expense(),
        expense(
            id="e2",
            title="Back",
            isReimbursement=True,
            amount=500,
            paidById="pb",
            paidFor=[{"participantId": "pa", "shares": 1}],
        ),
        expense(
            id="e3",
            title="Refund",
            amount=-300,
            splitMode="BY_SHARES",
            paidFor=[
                {"participantId": "pb", "shares": 100},
                {"participantId": "pc", "shares": 200},
            ],
        ),
    )
    parsed = parse(data)
    assert parsed.currency == "USD"
    dinner, refund = parsed.bills
    assert (dinner.category, dinner.total, dict(dinner.payers)) == ("food", 1000, {"pa": 1000})
    assert dict(refund.payers) == {"pb": 100, "pc": 200}
    assert dict(refund.shares) == {"pa": 300}
    (back,) = parsed.payments
    assert (back.from_key, back.to_key, back.amount) == ("pb", "pa", 500)
    dinner_shares = spliit.expense_shares("e1", 1000, "EVENLY", [("pa", 1), ("pb", 1), ("pc", 1)])
    assert parsed.balances() == {
        "pa": 1000 - dinner_shares["pa"] - 500 - 300,
        "pb": -dinner_shares["pb"] + 500 + 100,
        "pc": -dinner_shares["pc"] + 200,
    }
    assert sum(parsed.balances().values()) == 0


def test_without_a_currency_code_cents_are_rescaled_to_the_group() -> None:
    parsed = parse(group(expense(amount=300000), code=None), currency="IDR")
    assert parsed.currency is None
    assert parsed.bills[0].total == 3000
    with pytest.raises(ImportFileError, match="more decimals"):
        parse(group(expense(amount=1001), code=None), currency="IDR")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"paidById": "zz"}, "not a participant"),
        ({"amount": 10.5}, "whole number"),
        ({"splitMode": "RANDOM"}, "unknown"),
        ({"paidFor": []}, "paidFor"),
        ({"splitMode": "BY_SHARES", "paidFor": [{"participantId": "pa", "shares": 0}]}, "all zero"),
        ({"expenseDate": "soon"}, "not a date"),
    ],
)
def test_a_bad_expense_is_refused_naming_it(change: dict[str, Any], words: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse(group(expense(), expense(id="e2", **change)))
    assert caught.value.row == 2
    assert words in caught.value.message


def test_a_file_that_is_not_a_spliit_group_is_refused() -> None:
    with pytest.raises(ImportFileError, match="not a Spliit export"):
        parse({"expenses": [], "participants": "x"})
    with pytest.raises(ImportFileError, match="not a Spliit export"):
        spliit.parse(b"[]", default_currency="USD")
