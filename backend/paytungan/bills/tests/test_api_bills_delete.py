"""Soft delete reverses a bill's effect on balances; restore puts it back."""

from __future__ import annotations

from paytungan.bills.models import Bill
from paytungan.bills.testing import bill_balance_oracle, bills_url, equal_bill
from paytungan.groups.models import Activity

from .conftest import Trip
from .test_api_bills_modes import dinner


def test_delete_then_restore_restores_member_balances(trip: Trip) -> None:
    keep = trip.client.post(
        bills_url(trip.group), equal_bill(payer=trip.budi, members=[trip.ayu], total="7000")
    ).json
    bill = trip.client.post(bills_url(trip.group), dinner(trip)).json
    before = trip.balances()
    url = bills_url(trip.group, bill["id"])

    deleted = trip.client.delete(url)
    assert deleted.status == 200
    assert deleted.json["deleted_at"] is not None
    assert trip.balances() == {trip.ayu.pk: -7000, trip.budi.pk: 7000, trip.citra.pk: 0}
    oracle = bill_balance_oracle(group_id=trip.group.pk)
    assert {m: p - o for m, (p, o) in oracle.items()} == trip.balances()

    restored = trip.client.post(url + "/restore")
    assert restored.status == 200
    assert restored.json["deleted_at"] is None
    assert trip.balances() == before
    assert restored.json["shares"] == bill["shares"]
    assert restored.json["version"] == 1
    assert keep["id"] != bill["id"]
    verbs = list(Activity.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["bill.created", "bill.created", "bill.deleted", "bill.restored"]


def test_a_deleted_bill_is_readable_but_not_listed(trip: Trip) -> None:
    bill = trip.client.post(
        bills_url(trip.group), equal_bill(payer=trip.ayu, members=[trip.budi], total="100")
    ).json
    trip.client.delete(bills_url(trip.group, bill["id"]))
    read = trip.client.get(bills_url(trip.group, bill["id"]))
    assert read.status == 200
    assert read.json["deleted_at"] is not None
    assert trip.client.get(bills_url(trip.group)).json["items"] == []
    assert Bill.objects.count() == 1


def test_deleting_a_deleted_bill_is_a_conflict(trip: Trip) -> None:
    bill = trip.client.post(
        bills_url(trip.group), equal_bill(payer=trip.ayu, members=[trip.budi], total="100")
    ).json
    url = bills_url(trip.group, bill["id"])
    assert trip.client.delete(url).status == 200
    again = trip.client.delete(url)
    assert again.status == 409
    assert again.json["error"]["code"] == "bill_deleted"
    assert trip.balances()[trip.budi.pk] == 0


def test_restoring_a_live_bill_is_a_conflict(trip: Trip) -> None:
    bill = trip.client.post(
        bills_url(trip.group), equal_bill(payer=trip.ayu, members=[trip.budi], total="100")
    ).json
    response = trip.client.post(bills_url(trip.group, bill["id"], "/restore"))
    assert response.status == 409
    assert response.json["error"]["code"] == "bill_not_deleted"
    assert trip.balances()[trip.budi.pk] == -100


def test_delete_records_activity_with_the_title_and_total(trip: Trip) -> None:
    bill = trip.client.post(bills_url(trip.group), dinner(trip)).json
    trip.client.delete(bills_url(trip.group, bill["id"]))
    activity = Activity.objects.get(verb="bill.deleted")
    assert activity.target_id == bill["id"]
    assert "150150" in activity.summary
    assert activity.changes["deleted_at"]["from"] is None
