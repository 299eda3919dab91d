"""Preview computes exactly what create stores, and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills.models import Bill, BillShare
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.groups.models import Activity
from paytungan.ops.models import IdempotencyKey

from .conftest import Trip
from .test_api_bills_modes import dinner

SAVED_ONLY = {"id", "version", "created_at", "updated_at", "deleted_at"}


def _bodies(trip: Trip) -> dict[str, dict[str, Any]]:
    a, b, c = trip.ayu.pk, trip.budi.pk, trip.citra.pk
    return {
        "equal": equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="10"),
        "shares": {
            "title": "Sewa mobil",
            "date": "2026-01-02",
            "payers": [{"member_id": a, "amount": "700000"}, {"member_id": c, "amount": "1"}],
            "split": {
                "mode": "shares",
                "members": [
                    {"member_id": a, "value": "1.5"},
                    {"member_id": b, "value": "1.5"},
                    {"member_id": c, "value": "1"},
                ],
            },
            "total": "700001",
        },
        "itemized": dinner(trip),
        "foreign": equal_bill(
            payer=trip.budi,
            members=[trip.ayu, trip.budi, trip.citra],
            total="0.10",
            currency="USD",
            exchange_rate="16000.123",
        ),
    }


@pytest.mark.parametrize("kind", ["equal", "shares", "itemized", "foreign"])
def test_preview_equals_save(trip: Trip, kind: str) -> None:
    body = _bodies(trip)[kind]
    preview = trip.client.post(bills_url(trip.group, suffix="/preview"), body)
    assert preview.status == 200, preview
    assert Bill.objects.count() == 0
    created = trip.client.post(bills_url(trip.group), body)
    assert created.status == 201, created
    saved = {k: v for k, v in created.json.items() if k not in SAVED_ONLY}
    assert preview.json == saved
    # ... and reading it back gives the same again.
    read = trip.client.get(bills_url(trip.group, created.json["id"])).json
    assert {k: v for k, v in read.items() if k not in SAVED_ONLY} == preview.json


def test_preview_saves_nothing(trip: Trip) -> None:
    body = dinner(trip)
    response = trip.client.post(
        bills_url(trip.group, suffix="/preview"), body, headers={"Idempotency-Key": "p-1"}
    )
    assert response.status == 200
    assert "id" not in response.json
    assert Bill.objects.count() == 0
    assert BillShare.objects.count() == 0
    assert Activity.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    assert set(trip.balances().values()) == {0}
