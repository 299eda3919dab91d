"""The ihatemoney JSON parser: weighted expenses, reimbursements as payments."""

from __future__ import annotations

import json

import pytest

from paytungan.imports import ihatemoney
from paytungan.imports.core import ImportFileError

# ihatemoney's own export test data (newest first), with currencies.
EXPORT = [
    {
        "date": "2017-01-01",
        "what": "refund",
        "bill_type": "Reimbursement",
        "amount": 13.33,
        "currency": "EUR",
        "payer_name": "tata",
        "payer_weight": 1.0,
        "owers": ["fred"],
    },
    {
        "date": "2016-12-31",
        "what": "red wine",
        "bill_type": "Expense",
        "amount": 200.0,
        "currency": "EUR",
        "payer_name": "fred",
        "payer_weight": 1.0,
        "owers": ["zorglub", "tata"],
    },
    {
        "date": "2016-12-31",
        "what": "fromage à raclette",
        "bill_type": "Expense",
        "amount": 10.0,
        "currency": "EUR",
        "payer_name": "zorglub",
        "payer_weight": 2.0,
        "owers": ["zorglub", "fred", "tata", "pépé"],
    },
]


def parse(data: object, currency: str = "IDR") -> ihatemoney.ParsedImport:
    return ihatemoney.parse(json.dumps(data).encode(), default_currency=currency)


def test_the_export_becomes_weighted_bills_and_a_payment_oldest_first() -> None:
    parsed = parse(EXPORT)
    assert parsed.currency == "EUR"
    assert [m.name for m in parsed.members] == ["tata", "fred", "zorglub", "pépé"]
    raclette, wine = parsed.bills
    assert (raclette.title, raclette.total, raclette.row) == ("fromage à raclette", 1000, 3)
    # zorglub weighs 2 (from payer_weight), the others 1: 10.00 over 5 weights.
    assert dict(raclette.shares) == {"zorglub": 400, "fred": 200, "tata": 200, "pépé": 200}
    # Weights hold for every bill: zorglub's 2 makes the wine 2:1.
    assert dict(wine.shares) == {"zorglub": 13333, "tata": 6667}
    (refund,) = parsed.payments
    assert (refund.from_key, refund.to_key, refund.amount) == ("tata", "fred", 1333)
    # ihatemoney's balances for this project, in cents.
    assert parsed.balances() == {
        "tata": -200 - 6667 + 1333,
        "fred": 20000 - 200 - 1333,
        "zorglub": 1000 - 400 - 13333,
        "pépé": -200,
    }


def test_no_currency_uses_the_groups() -> None:
    data = [dict(b, currency="XXX") for b in EXPORT]
    parsed = parse(data, currency="USD")
    assert parsed.currency is None
    assert parsed.bills[0].total == 1000


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"amount": "ten"}, "not a number"),
        ({"owers": []}, "no owers"),
        ({"owers": "fred"}, "list of names"),
        ({"date": "31/12/2016"}, "not a date"),
        ({"bill_type": "Gift"}, "neither Expense"),
        ({"currency": "CAD"}, "one currency"),
        ({"amount": 10.001}, "more decimals"),
    ],
)
def test_a_bad_bill_is_refused_naming_it(change: dict[str, object], words: str) -> None:
    data = [EXPORT[0], EXPORT[1], {**EXPORT[2], **change}]
    with pytest.raises(ImportFileError) as caught:
        parse(data)
    assert caught.value.row == 3
    assert words in caught.value.message


def test_missing_amount_and_non_lists_are_refused() -> None:
    bad = {k: v for k, v in EXPORT[1].items() if k != "amount"}
    with pytest.raises(ImportFileError, match="amount"):
        parse([bad])
    with pytest.raises(ImportFileError, match="list of bills"):
        parse({"bills": []})
    with pytest.raises(ImportFileError, match="not valid JSON"):
        ihatemoney.parse(b"[{]", default_currency="EUR")
