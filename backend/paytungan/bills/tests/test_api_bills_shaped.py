"""Bill create answers with its payload already in BillOut's shape (common/responses.py), as the
hot reads do: it must be byte for byte what ninja's validated path would send, in every mode."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest

from paytungan.bills.schemas import BillOut
from paytungan.bills.testing import bills_url, equal_bill, exact_bill
from paytungan.common.responses import ApiRenderer

from .conftest import Trip
from .test_api_bills_modes import dinner


def _bodies(trip: Trip) -> list[dict[str, Any]]:
    a, b, c = trip.ayu, trip.budi, trip.citra
    return [
        equal_bill(payer=a, members=[a, b, c], total="100000", notes="Makan\nmalam"),
        exact_bill(payer=b, amounts={a: "1000", b: "2000", c: "3000"}, total="6000"),
        {
            "title": "Persen",
            "payers": [{"member_id": a.pk, "amount": "90000"}],
            "split": {
                "mode": "percent",
                "members": [
                    {"member_id": a.pk, "value": "33.5"},
                    {"member_id": b.pk, "value": "66.5"},
                ],
            },
            "total": "90000",
        },
        {
            "title": "Bagian",
            "payers": [{"member_id": c.pk, "amount": "70001"}, {"member_id": a.pk, "amount": "1"}],
            "split": {
                "mode": "shares",
                "members": [{"member_id": a.pk, "value": "2"}, {"member_id": c.pk, "value": "1"}],
            },
            "total": "70002",
        },
        dinner(trip),
        equal_bill(
            payer=a, members=[a, b], total="100.00", currency="USD", exchange_rate="15800.5"
        ),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_created_bill_is_what_the_schema_would_send(trip: Trip, case: int) -> None:
    response = trip.client.post(bills_url(trip.group), _bodies(trip)[case])
    assert response.status == 201, response
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    validated = BillOut.model_validate(response.json)
    rendered = ApiRenderer().render(HttpRequest(), validated, response_status=201)
    assert response.raw.content == rendered
