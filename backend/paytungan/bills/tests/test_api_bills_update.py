"""PUT replaces a bill under optimistic concurrency: `version` must be current (409 otherwise)."""

from __future__ import annotations

from typing import Any

from paytungan.bills.models import Bill, BillDebt, BillPayer, BillShare
from paytungan.bills.testing import bill_balance_oracle, bills_url, equal_bill, exact_bill
from paytungan.groups.models import Activity, Member

from .conftest import Trip
from .test_api_bills_modes import dinner


def _create(trip: Trip, body: dict[str, Any]) -> dict[str, Any]:
    response = trip.client.post(bills_url(trip.group), body)
    assert response.status == 201, response
    return response.json


def _oracle_net(trip: Trip) -> dict[int, int]:
    return {m: p - o for m, (p, o) in bill_balance_oracle(group_id=trip.group.pk).items()}


def test_update_replaces_the_bill_and_moves_balances_by_the_difference(trip: Trip) -> None:
    bill = _create(
        trip,
        equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="90000"),
    )
    body = exact_bill(
        payer=trip.budi,
        amounts={trip.ayu: "20000", trip.citra: "40000"},
        total="60000",
        title="Makan siang",
        category="food",
        version=1,
    )
    response = trip.client.put(bills_url(trip.group, bill["id"]), body)
    assert response.status == 200, response
    updated = response.json
    assert updated["version"] == 2
    assert updated["title"] == "Makan siang"
    assert updated["total"] == "60000"
    assert updated["category"] == "food"
    assert updated["created_at"] == bill["created_at"]
    assert trip.balances() == {trip.ayu.pk: -20000, trip.budi.pk: 60000, trip.citra.pk: -40000}
    assert _oracle_net(trip) == trip.balances()
    assert BillPayer.objects.count() == 1
    assert BillShare.objects.count() == 2
    assert set(BillDebt.objects.values_list("debtor_id", "creditor_id", "amount")) == {
        (trip.ayu.pk, trip.budi.pk, 20000),
        (trip.citra.pk, trip.budi.pk, 40000),
    }
    assert trip.client.get(bills_url(trip.group, bill["id"])).json == updated


def test_update_records_what_changed(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="5000"))
    body = equal_bill(
        payer=trip.ayu, members=[trip.ayu, trip.budi], total="6000", title="Kopi", version=1
    )
    assert trip.client.put(bills_url(trip.group, bill["id"]), body).status == 200
    activity = Activity.objects.filter(verb="bill.updated").get()
    assert activity.target_id == bill["id"]
    assert activity.changes["title"] == {"from": "Makan malam", "to": "Kopi"}
    assert activity.changes["total"] == {"from": "5000", "to": "6000"}
    assert "date" not in activity.changes
    assert "category" not in activity.changes


def test_stale_version_is_a_409_with_the_current_version(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="5000"))
    url = bills_url(trip.group, bill["id"])
    first = equal_bill(payer=trip.ayu, members=[trip.ayu], total="7000", version=1)
    assert trip.client.put(url, first).status == 200
    stale = equal_bill(payer=trip.budi, members=[trip.budi], total="8000", version=1)
    response = trip.client.put(url, stale)
    assert response.status == 409
    assert response.json["error"]["code"] == "stale_version"
    assert response.json["error"]["details"] == {"current_version": 2}
    assert Bill.objects.get().total == 7000
    assert trip.balances() == {trip.ayu.pk: 0, trip.budi.pk: 0, trip.citra.pk: 0}


def test_version_is_required_on_put(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu], total="5000"))
    body = equal_bill(payer=trip.ayu, members=[trip.ayu], total="6000")
    response = trip.client.put(bills_url(trip.group, bill["id"]), body)
    assert response.status == 422
    assert "version" in response.json["error"]["details"]["fields"]


def test_an_invalid_update_changes_nothing(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="5000"))
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, 424242], total="6000", version=1)
    response = trip.client.put(bills_url(trip.group, bill["id"]), body)
    assert response.status == 422
    assert list(response.json["error"]["details"]["fields"]) == ["split.members.1.member_id"]
    assert Bill.objects.get().version == 1
    assert trip.balances()[trip.ayu.pk] == 2500


def test_update_keeps_the_date_when_omitted(trip: Trip) -> None:
    bill = _create(
        trip, equal_bill(payer=trip.ayu, members=[trip.ayu], total="5000", date="2025-12-31")
    )
    body = equal_bill(payer=trip.ayu, members=[trip.ayu], total="6000", version=1)
    updated = trip.client.put(bills_url(trip.group, bill["id"]), body).json
    assert updated["date"] == "2025-12-31"


def test_update_can_switch_to_itemized_and_a_foreign_currency(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu], total="5000"))
    body = dinner(trip, version=1)
    updated = trip.client.put(bills_url(trip.group, bill["id"]), body).json
    assert updated["total"] == "150150"
    assert updated["breakdown"] is not None
    body = equal_bill(
        payer=trip.ayu,
        members=[trip.budi],
        total="10",
        currency="JPY",
        exchange_rate="105.5",
        version=2,
    )
    updated = trip.client.put(bills_url(trip.group, bill["id"]), body).json
    assert (updated["total"], updated["original_total"], updated["currency"]) == (
        "1055",
        "10",
        "JPY",
    )
    assert updated["breakdown"] is None
    assert trip.balances() == {trip.ayu.pk: 1055, trip.budi.pk: -1055, trip.citra.pk: 0}
    assert _oracle_net(trip) == trip.balances()


def test_a_member_who_left_may_stay_on_a_bill_whose_part_for_them_is_unchanged(
    trip: Trip,
) -> None:
    bill = _create(trip, exact_bill(payer=trip.ayu, amounts={trip.citra: "5000"}, total="5000"))
    # Citra settled up outside the app and left: her running totals are equal (balance zero).
    Member.objects.filter(pk=trip.citra.pk).update(is_active=False, paid=5000)
    body = exact_bill(
        payer=trip.ayu, amounts={trip.citra: "5000"}, total="5000", title="Renamed", version=1
    )
    response = trip.client.put(bills_url(trip.group, bill["id"]), body)
    assert response.status == 200, response
    body = exact_bill(
        payer=trip.ayu, amounts={trip.citra: "6000"}, total="6000", title="More", version=2
    )
    response = trip.client.put(bills_url(trip.group, bill["id"]), body)
    assert response.status == 409
    assert response.json["error"]["code"] == "member_left"
    assert response.json["error"]["details"] == {"member_ids": [trip.citra.pk]}
    # Deleting it would move her balance too.
    response = trip.client.delete(bills_url(trip.group, bill["id"]))
    assert response.status == 409
    assert response.json["error"]["code"] == "member_left"


def test_a_deleted_bill_cannot_be_edited(trip: Trip) -> None:
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu], total="5000"))
    url = bills_url(trip.group, bill["id"])
    assert trip.client.delete(url).status == 200
    body = equal_bill(payer=trip.ayu, members=[trip.ayu], total="6000", version=1)
    response = trip.client.put(url, body)
    assert response.status == 409
    assert response.json["error"]["code"] == "bill_deleted"


def test_an_edit_naming_a_member_who_left_or_an_unknown_id_is_a_422_and_changes_nothing(
    trip: Trip,
) -> None:
    """The edit deletes the old rows before it knows the members' states (decision 0025): a
    refusal must roll that back with the rest."""
    bill = _create(trip, equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="6000"))
    url = bills_url(trip.group, bill["id"])
    Member.objects.filter(pk=trip.citra.pk).update(is_active=False)
    balances = trip.balances()
    cases: list[tuple[list[Member | int], int]] = [
        ([trip.ayu, trip.citra], trip.citra.pk),
        ([trip.ayu, 999_999], 999_999),
    ]
    for members, bad in cases:
        body = equal_bill(payer=trip.ayu, members=members, total="6000", version=1)
        response = trip.client.put(url, body)
        assert response.status == 422, response
        fields = response.json["error"]["details"]["fields"]
        assert any(
            f"Member {bad} is not an active member" in m for ms in fields.values() for m in ms
        )
        assert trip.balances() == balances
        assert trip.client.get(url).json == bill
        assert BillDebt.objects.count() == 1
    # With another error in the same body, both are named (one 422).
    body = equal_bill(
        payer=trip.ayu, members=[trip.ayu, trip.citra], total="6000", exchange_rate="2", version=1
    )
    fields = trip.client.put(url, body).json["error"]["details"]["fields"]
    assert "exchange_rate" in fields
    assert any(f"Member {trip.citra.pk}" in m for ms in fields.values() for m in ms)
