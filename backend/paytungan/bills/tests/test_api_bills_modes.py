"""Creating bills in every split mode: the stored shares are exactly what the core computed."""

from __future__ import annotations

from typing import Any

from paytungan.bills.models import Bill, BillDebt, BillShare
from paytungan.bills.testing import bill_balance_oracle, bills_url, equal_bill, exact_bill
from paytungan.groups.models import Activity

from .conftest import Trip


def _create(trip: Trip, body: dict[str, Any]) -> dict[str, Any]:
    response = trip.client.post(bills_url(trip.group), body)
    assert response.status == 201, response
    return response.json


def _shares(bill: dict[str, Any]) -> dict[int, str]:
    return {share["member_id"]: share["amount"] for share in bill["shares"]}


def dinner(trip: Trip, **extra: Any) -> dict[str, Any]:
    """The Indonesian dinner: 2 x 35,000 sate shared by A and B, 48,000 for C, 22,000 for A,
    discount 10,000, service 5 %, tax 10 % -> 150,150, paid by A."""
    a, b, c = trip.ayu.pk, trip.budi.pk, trip.citra.pk
    return {
        "title": "Makan malam di Sate Khas Senayan",
        "date": "2026-11-20",
        "category": "food",
        "payers": [{"member_id": a, "amount": "150150"}],
        "split": {
            "mode": "itemized",
            "items": [
                {"name": "Sate ayam", "quantity": 2, "unit_price": "35000", "member_ids": [a, b]},
                {"name": "Gurame bakar", "quantity": 1, "unit_price": "48000", "member_ids": [c]},
                {"name": "Es teler", "quantity": 1, "unit_price": "22000", "member_ids": [a]},
            ],
            "charges": {
                "discount": "10000",
                "discount_percent": "0",
                "service_percent": "5",
                "tax_percent": "10",
                "tip": "0",
            },
        },
        **extra,
    }


def test_equal_split_gives_everyone_the_same_and_the_remainder_to_one(trip: Trip) -> None:
    bill = _create(
        trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="100000")
    )
    assert bill["total"] == "100000"
    assert sorted(_shares(bill).values()) == ["33333", "33333", "33334"]
    assert bill["version"] == 1
    assert bill["deleted_at"] is None
    assert bill["breakdown"] is None
    assert bill["category"] == "other"
    assert bill["currency"] == "IDR"
    assert bill["exchange_rate"] is None
    assert bill["group_currency"] == "IDR"


def test_exact_split_stores_the_given_amounts(trip: Trip) -> None:
    body = exact_bill(
        payer=trip.budi, amounts={trip.ayu: "70000", trip.citra: "30000"}, total="100000"
    )
    bill = _create(trip, body)
    assert _shares(bill) == {trip.ayu.pk: "70000", trip.citra.pk: "30000"}
    assert trip.balances() == {trip.ayu.pk: -70000, trip.budi.pk: 100000, trip.citra.pk: -30000}


def test_percent_split_allocates_by_percent(trip: Trip) -> None:
    body = {
        "title": "Villa",
        "payers": [{"member_id": trip.ayu.pk, "amount": "1000000"}],
        "split": {
            "mode": "percent",
            "members": [
                {"member_id": trip.ayu.pk, "value": "50"},
                {"member_id": trip.budi.pk, "value": "33.5"},
                {"member_id": trip.citra.pk, "value": "16.5"},
            ],
        },
        "total": "1000000",
        "category": "lodging",
    }
    bill = _create(trip, body)
    assert _shares(bill) == {trip.ayu.pk: "500000", trip.budi.pk: "335000", trip.citra.pk: "165000"}
    assert bill["split"]["members"][1] == {"member_id": trip.budi.pk, "value": "33.5"}


def test_shares_split_allocates_by_weight(trip: Trip) -> None:
    body = {
        "title": "Bensin",
        "payers": [{"member_id": trip.citra.pk, "amount": "90000"}],
        "split": {
            "mode": "shares",
            "members": [
                {"member_id": trip.ayu.pk, "value": "2"},
                {"member_id": trip.budi.pk, "value": "1"},
            ],
        },
        "total": "90000",
    }
    bill = _create(trip, body)
    assert _shares(bill) == {trip.ayu.pk: "60000", trip.budi.pk: "30000"}
    assert trip.balances() == {trip.ayu.pk: -60000, trip.budi.pk: -30000, trip.citra.pk: 90000}


def test_itemized_indonesian_dinner_matches_the_receipt(trip: Trip) -> None:
    bill = _create(trip, dinner(trip))
    a, b, c = trip.ayu.pk, trip.budi.pk, trip.citra.pk
    assert bill["total"] == "150150"
    assert bill["original_total"] == "150150"
    breakdown = {row.pop("member_id"): row for row in bill["breakdown"]}
    # C had the gurame alone: 48,000 - 3,429 discount + 2,229 service + 4,680 tax.
    assert breakdown[c] == {
        "items": "48000",
        "discount": "3429",
        "service": "2229",
        "tax": "4680",
        "tip": "0",
        "total": "51480",
    }
    assert breakdown[a]["items"] == "57000"
    assert breakdown[b]["items"] == "35000"
    assert (breakdown[a]["discount"], breakdown[b]["discount"]) == ("4071", "2500")
    assert (breakdown[a]["service"], breakdown[b]["service"]) == ("2646", "1625")
    # Tax is 5,557.5 for A and 3,412.5 for B: the content tie key gives the odd rupiah to one.
    assert {breakdown[a]["tax"], breakdown[b]["tax"]} in ({"5558", "3412"}, {"5557", "3413"})
    shares = _shares(bill)
    assert shares[c] == "51480"
    assert int(shares[a]) + int(shares[b]) == 98670
    assert shares[a] in ("61132", "61133")
    for member_id, row in breakdown.items():
        assert row["total"] == shares[member_id]
    assert sum(int(v) for v in shares.values()) == 150150
    assert bill["split"]["items"][0]["name"] == "Sate ayam"
    assert {s["member_id"] for s in bill["status"]} == {b, c}


def test_itemized_total_may_be_given_when_it_matches(trip: Trip) -> None:
    bill = _create(trip, dinner(trip, total="150150"))
    assert bill["total"] == "150150"


def test_several_payers_each_get_credit(trip: Trip) -> None:
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="300000")
    body["payers"] = [
        {"member_id": trip.ayu.pk, "amount": "200000"},
        {"member_id": trip.budi.pk, "amount": "100000"},
    ]
    bill = _create(trip, body)
    assert [p["amount"] for p in bill["payers"]] == ["200000", "100000"]
    assert trip.balances() == {trip.ayu.pk: 100000, trip.budi.pk: 0, trip.citra.pk: -100000}
    # Budi paid exactly his share: only Citra owes for this bill.
    assert [s["member_id"] for s in bill["status"]] == [trip.citra.pk]
    debts = list(BillDebt.objects.values_list("debtor_id", "creditor_id", "amount"))
    assert debts == [(trip.citra.pk, trip.ayu.pk, 100000)]


def test_foreign_currency_bill_is_converted_once_and_keeps_the_original(trip: Trip) -> None:
    body = equal_bill(
        payer=trip.ayu,
        members=[trip.ayu, trip.budi, trip.citra],
        total="100.00",
        currency="USD",
        exchange_rate="15800.5",
    )
    bill = _create(trip, body)
    assert bill["currency"] == "USD"
    assert bill["group_currency"] == "IDR"
    assert bill["exchange_rate"] == "15800.5"
    assert bill["original_total"] == "100.00"
    assert bill["total"] == "1580050"
    assert sorted(s["original_amount"] for s in bill["shares"]) == ["33.33", "33.33", "33.34"]
    assert sum(int(s["amount"]) for s in bill["shares"]) == 1580050
    assert bill["payers"] == [
        {"member_id": trip.ayu.pk, "amount": "1580050", "original_amount": "100.00"}
    ]
    stored = Bill.objects.get()
    assert (stored.currency, stored.original_total, stored.total) == ("USD", 10000, 1580050)
    assert trip.balances()[trip.ayu.pk] == 1580050 - int(_shares(bill)[trip.ayu.pk])
    oracle = bill_balance_oracle(group_id=trip.group.pk)
    assert {m: paid - owed for m, (paid, owed) in oracle.items()} == trip.balances()


def test_foreign_itemized_bill_keeps_the_breakdown_in_its_own_currency(trip: Trip) -> None:
    a, b = trip.ayu.pk, trip.budi.pk
    body = {
        "title": "Dinner in Singapore",
        "currency": "SGD",
        "exchange_rate": "12000",
        "payers": [{"member_id": b, "amount": "33.00"}],
        "split": {
            "mode": "itemized",
            "items": [
                {"name": "Laksa", "quantity": 1, "unit_price": "12.00", "member_ids": [a]},
                {"name": "Chicken rice", "quantity": 2, "unit_price": "9.00", "member_ids": [b]},
            ],
            "charges": {"tip": "3.00"},
        },
    }
    bill = _create(trip, body)
    assert bill["original_total"] == "33.00"
    assert bill["total"] == "396000"
    breakdown = {row["member_id"]: row for row in bill["breakdown"]}
    assert breakdown[a]["items"] == "12.00"
    assert breakdown[a]["tip"] == "1.20"
    assert breakdown[b]["total"] == "19.80"
    assert _shares(bill) == {a: "158400", b: "237600"}


def test_bill_in_a_cents_currency_group(usd_trip: Trip) -> None:
    trip = usd_trip
    bill = _create(
        trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="10.00")
    )
    assert sorted(_shares(bill).values()) == ["3.33", "3.33", "3.34"]
    assert bill["total"] == "10.00"
    assert bill["currency"] == "USD"


def test_create_defaults_the_date_to_today_in_jakarta(trip: Trip, settings: Any) -> None:
    from django.utils import timezone

    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.budi], total="5000"))
    assert bill["date"] == timezone.localdate().isoformat()


def test_create_records_activity_and_rows(trip: Trip) -> None:
    bill = _create(trip, dinner(trip))
    activity = Activity.objects.get()
    assert activity.verb == "bill.created"
    assert activity.target_id == bill["id"]
    assert activity.actor_member_id == trip.ayu.pk
    assert activity.actor_id == trip.ayu_user.pk
    assert activity.changes["total"] == {"from": None, "to": "150150"}
    assert "150150" in activity.summary
    assert BillShare.objects.filter(bill_id=bill["id"]).count() == 3
    assert sum(trip.balances().values()) == 0
    oracle = bill_balance_oracle(group_id=trip.group.pk)
    assert {m: p - o for m, (p, o) in oracle.items()} == trip.balances()
