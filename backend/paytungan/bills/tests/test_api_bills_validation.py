"""Invalid bills are 422 with details.fields naming each offending field; nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from paytungan.bills.models import Bill
from paytungan.bills.testing import bills_url, equal_bill, exact_bill
from paytungan.common.testing import make_user
from paytungan.groups.models import Activity, Member
from paytungan.groups.testing import make_group

from .conftest import Trip
from .test_api_bills_modes import dinner


def _invalid(trip: Trip, body: Any, url: str | None = None) -> dict[str, list[str]]:
    response = trip.client.post(url or bills_url(trip.group), body)
    assert response.status == 422, response
    assert response.json["error"]["code"] == "invalid"
    assert Bill.objects.count() == 0
    assert Activity.objects.count() == 0
    assert set(trip.balances().values()) == {0}
    return response.json["error"]["details"]["fields"]


def _equal(trip: Trip, total: str = "100000", **extra: Any) -> dict[str, Any]:
    return equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total=total, **extra)


def test_payers_must_add_up_to_the_total(trip: Trip) -> None:
    body = _equal(trip)
    body["payers"][0]["amount"] = "90000"
    fields = _invalid(trip, body)
    assert list(fields) == ["payers"]
    assert "90000 IDR" in fields["payers"][0]
    assert "100000 IDR" in fields["payers"][0]


def test_a_member_of_another_group_is_refused_by_field_path(trip: Trip) -> None:
    _, other = make_group(owner=make_user(), guests=("Dewi",))
    body = _equal(trip)
    body["payers"][0]["member_id"] = other["Dewi"].pk
    body["split"]["members"].append({"member_id": 999_999})
    fields = _invalid(trip, body)
    assert "not an active member" in fields["payers.0.member_id"][0]
    assert "split.members.2.member_id" in fields


def test_a_member_who_left_cannot_be_put_on_a_new_bill(trip: Trip) -> None:
    Member.objects.filter(pk=trip.citra.pk).update(is_active=False)
    fields = _invalid(
        trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.citra], total="1000")
    )
    assert list(fields) == ["split.members.1.member_id"]


def test_unknown_members_on_items_name_the_item(trip: Trip) -> None:
    body = dinner(trip)
    body["split"]["items"][1]["member_ids"] = [123456789]
    fields = _invalid(trip, body)
    assert "split.items.1.member_ids" in fields


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e3", "1e3"),
        ("12.5", "decimals"),
        ("-5", "-5"),
        ("", ""),
        ("NaN", "NaN"),
        ("1,000", "1,000"),
        (" 100000", ""),
    ],
)
def test_bad_money_strings_are_refused(trip: Trip, amount: str, message: str) -> None:
    body = _equal(trip)
    body["total"] = amount
    fields = _invalid(trip, body)
    assert "total" in fields
    assert message in fields["total"][0]


def test_too_many_decimals_for_usd(usd_trip: Trip) -> None:
    trip = usd_trip
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="12.505")
    fields = _invalid(trip, body)
    assert "12.505" in fields["total"][0]
    assert "at most 2" in fields["total"][0]
    assert "payers.0.amount" in fields


@pytest.mark.parametrize(
    "path",
    [
        ("total",),
        ("payers", 0, "amount"),
        ("split", "members", 0, "value"),
    ],
)
def test_json_numbers_are_refused_where_money_strings_belong(
    trip: Trip, path: tuple[Any, ...]
) -> None:
    body = exact_bill(
        payer=trip.ayu, amounts={trip.ayu: "60000", trip.budi: "40000"}, total="100000"
    )
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = 100000
    fields = _invalid(trip, body)
    dotted = ".".join(str(p) for p in path)
    assert "decimal strings" in fields[dotted][0]


def test_floats_are_refused_in_items_and_charges(trip: Trip) -> None:
    body = dinner(trip)
    body["split"]["items"][0]["unit_price"] = 35000.0
    body["split"]["charges"]["tax_percent"] = 10
    fields = _invalid(trip, body)
    assert set(fields) == {"split.items.0.unit_price", "split.charges.tax_percent"}


def test_itemized_total_must_match_the_computed_total(trip: Trip) -> None:
    fields = _invalid(trip, dinner(trip, total="150000"))
    assert "150150" in fields["total"][0]


def test_exchange_rate_is_required_for_a_foreign_bill(trip: Trip) -> None:
    fields = _invalid(trip, _equal(trip, currency="USD", total="10.00"))
    assert list(fields) == ["exchange_rate"]


def test_exchange_rate_is_refused_for_a_bill_in_the_group_currency(trip: Trip) -> None:
    fields = _invalid(trip, _equal(trip, exchange_rate="1"))
    assert list(fields) == ["exchange_rate"]
    fields = _invalid(trip, _equal(trip, currency="IDR", exchange_rate="15000"))
    assert list(fields) == ["exchange_rate"]


@pytest.mark.parametrize("rate", ["0", "-1", "1e4", "abc", "1.12345678901"])
def test_bad_exchange_rates_are_refused(trip: Trip, rate: str) -> None:
    body = equal_bill(
        payer=trip.ayu, members=[trip.ayu], total="10.00", currency="USD", exchange_rate=rate
    )
    assert list(_invalid(trip, body)) == ["exchange_rate"]


def test_a_rate_that_makes_the_total_zero_is_refused(trip: Trip) -> None:
    body = equal_bill(
        payer=trip.ayu, members=[trip.ayu], total="0.01", currency="USD", exchange_rate="0.1"
    )
    assert list(_invalid(trip, body)) == ["exchange_rate"]


def test_unknown_currency_is_refused(trip: Trip) -> None:
    body = _equal(trip, currency="XYZ", exchange_rate="1")
    assert "currency" in _invalid(trip, body)
    assert "currency" in _invalid(trip, _equal(trip, currency="usd", exchange_rate="1"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Nasi\x00goreng"}, "title"),
        ({"category": "travel"}, "category"),
        ({"date": "20-11-2026"}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": 1700000000}, "date"),
        ({"notes": "x" * 2001}, "notes"),
        ({"surprise": 1}, "surprise"),
        ({"version": 1}, "version"),
    ],
)
def test_schema_errors_name_the_field(trip: Trip, change: dict[str, Any], field: str) -> None:
    assert field in _invalid(trip, _equal(trip) | change)


def test_text_that_the_database_cannot_store_is_refused(trip: Trip) -> None:
    body = json.dumps(_equal(trip, title="T")).replace('"T"', '"Nasi \\ud800"')
    response = trip.client.post(bills_url(trip.group), raw=body)
    assert response.status == 422, response
    assert "title" in response.json["error"]["details"]["fields"]
    item = dinner(trip)
    item["split"]["items"][0]["name"] = "Sate\x00"
    item["notes"] = "a\x00b"
    assert {"split.items.0.name", "notes"} <= set(_invalid(trip, item))


def test_member_ids_must_be_json_integers(trip: Trip) -> None:
    body = _equal(trip)
    body["payers"][0]["member_id"] = str(trip.ayu.pk)
    body["split"]["members"][0]["member_id"] = True
    fields = _invalid(trip, body)
    assert set(fields) == {"payers.0.member_id", "split.members.0.member_id"}


def test_split_mode_must_be_known(trip: Trip) -> None:
    body = _equal(trip)
    body["split"]["mode"] = "random"
    assert "split.mode" in _invalid(trip, body)


def test_equal_mode_refuses_values_and_other_modes_require_them(trip: Trip) -> None:
    body = _equal(trip)
    body["split"]["members"][0]["value"] = "1"
    assert "split.members.0.value" in _invalid(trip, body)
    body = _equal(trip)
    body["split"]["mode"] = "shares"
    fields = _invalid(trip, body)
    assert {"split.members.0.value", "split.members.1.value"} <= set(fields)


def test_percent_must_add_up_to_100(trip: Trip) -> None:
    body = _equal(trip)
    body["split"] = {
        "mode": "percent",
        "members": [
            {"member_id": trip.ayu.pk, "value": "50"},
            {"member_id": trip.budi.pk, "value": "40"},
        ],
    }
    assert "90" in _invalid(trip, body)["split.members"][0]


def test_charges_are_refused_outside_itemized_bills(trip: Trip) -> None:
    body = _equal(trip)
    body["split"]["charges"] = {"tax_percent": "10"}
    assert "split.charges.tax_percent" in _invalid(trip, body)


def test_total_is_required_outside_itemized_bills(trip: Trip) -> None:
    body = _equal(trip)
    del body["total"]
    assert "total" in _invalid(trip, body)


def test_every_error_is_reported_at_once(trip: Trip) -> None:
    body = dinner(trip)
    body["payers"][0]["amount"] = "1e3"
    body["split"]["items"][0]["quantity"] = 0
    body["split"]["items"][2]["member_ids"] = [987654321]
    body["split"]["charges"]["service_percent"] = "101"
    fields = _invalid(trip, body)
    assert {
        "payers.0.amount",
        "split.items.0.quantity",
        "split.items.2.member_ids",
        "split.charges.service_percent",
    } <= set(fields)


@pytest.mark.parametrize("raw", ["[]", "null", '"bill"', "{"])
def test_a_body_that_is_not_a_bill_object_is_refused(trip: Trip, raw: str) -> None:
    response = trip.client.post(bills_url(trip.group), raw=raw)
    assert response.status in (400, 422), response
    assert Bill.objects.count() == 0


def test_preview_reports_the_same_errors(trip: Trip) -> None:
    body = _equal(trip)
    body["payers"][0]["amount"] = "90000"
    create = _invalid(trip, body)
    preview = _invalid(trip, body, url=bills_url(trip.group, suffix="/preview"))
    assert create == preview
