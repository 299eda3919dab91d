"""A bill's `status`: who owes for it, and whether confirmed payments tied to it paid it back."""

from __future__ import annotations

from paytungan.bills.testing import bills_url, equal_bill
from paytungan.payments.models import Payment, PaymentStatus

from .conftest import Trip


def test_status_follows_confirmed_payments_tied_to_the_bill(trip: Trip) -> None:
    bill = trip.client.post(
        bills_url(trip.group),
        equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="90000"),
    ).json
    assert {s["member_id"]: s["status"] for s in bill["status"]} == {
        trip.budi.pk: "owes",
        trip.citra.pk: "owes",
    }
    common = {"group": trip.group, "to_member": trip.ayu, "currency": "IDR"}
    Payment.objects.create(
        from_member=trip.budi, amount=30000, bill_id=bill["id"], status="confirmed", **common
    )
    Payment.objects.create(
        from_member=trip.citra, amount=30000, bill_id=bill["id"], status="pending", **common
    )
    Payment.objects.create(from_member=trip.citra, amount=10000, status="confirmed", **common)
    Payment.objects.create(
        from_member=trip.citra,
        amount=10000,
        bill_id=bill["id"],
        status=PaymentStatus.CONFIRMED,
        **common,
    )
    read = trip.client.get(bills_url(trip.group, bill["id"])).json
    assert read["status"] == [
        {"member_id": trip.budi.pk, "status": "paid_back", "amount": "30000", "paid_back": "30000"},
        {"member_id": trip.citra.pk, "status": "owes", "amount": "30000", "paid_back": "10000"},
    ]


def test_edit_delete_and_restore_answer_with_the_payment_status(trip: Trip) -> None:
    """The writes read it with the bill's rows, under the group lock (no read after commit);
    two confirmed payments of one member add up, in the group currency only."""
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="90000")
    bill = trip.client.post(bills_url(trip.group), body).json
    common = {"group": trip.group, "to_member": trip.ayu, "bill_id": bill["id"]}
    for amount in (5000, 7000):
        Payment.objects.create(
            from_member=trip.budi, amount=amount, status="confirmed", currency="IDR", **common
        )
    Payment.objects.create(
        from_member=trip.citra, amount=30000, status="confirmed", currency="USD", **common
    )
    url = bills_url(trip.group, bill["id"])
    edited = trip.client.put(url, {**body, "title": "Sate", "version": 1}).json
    deleted = trip.client.delete(url).json
    restored = trip.client.post(url + "/restore").json
    expected = [
        {"member_id": trip.budi.pk, "status": "owes", "amount": "30000", "paid_back": "12000"},
        {"member_id": trip.citra.pk, "status": "owes", "amount": "30000", "paid_back": "0"},
    ]
    for out in (edited, deleted, restored):
        assert out["status"] == expected, out["status"]
    assert trip.client.get(url).json["status"] == expected
