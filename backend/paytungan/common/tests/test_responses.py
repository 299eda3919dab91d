"""The hot reads skip ninja's response validation (common/responses.py): their payloads must
still be exactly what the schema-validated path would have sent."""

from __future__ import annotations

import pytest
from django.http import HttpRequest

from paytungan.common.responses import ApiRenderer
from paytungan.groups.schemas import GroupListOut
from paytungan.groups.testing import make_group
from paytungan.payments.schemas import BalancesOut
from paytungan.payments.tests.factories import add_bill

pytestmark = pytest.mark.django_db

CASES = [
    ("/api/groups", GroupListOut),
    ("/api/groups/{gid}/balances", BalancesOut),
]


@pytest.mark.parametrize(("path", "schema"), CASES)
def test_a_shaped_payload_is_what_the_schema_would_send(path, schema, user, client_for):
    group, m = make_group(owner=user, guests=["Budi", "Citra"], currency="USD")
    add_bill(group, paid={m[user]: 1001}, shares={m[user]: 500, m["Budi"]: 501})
    response = client_for(user).get(path.format(gid=group.pk))
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    validated = schema.model_validate(response.json)
    # What ninja's own path would send: the validated model, rendered by the API's renderer.
    assert response.raw.content == ApiRenderer().render(
        HttpRequest(), validated, response_status=200
    )


def test_the_renderer_writes_values_as_ninjas_encoder_does():
    import json
    import uuid
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    from ninja.responses import NinjaJSONEncoder

    from paytungan.common.responses import json_bytes

    payload = {
        "when": datetime(2026, 11, 20, 10, 0, 0, 123456, tzinfo=UTC),
        "whole_second": datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        "day": date(2026, 2, 28),
        "amount": Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "ttl": timedelta(seconds=90),
        "name": 'Bu "Sri" \\ Ñoño 日本 \u2028 \x01',
        "big": 2**63 - 1,
        "flags": [True, False, None],
        1: "int key",
    }
    ours = json_bytes(payload)
    theirs = json.dumps(payload, cls=NinjaJSONEncoder)
    assert json.loads(ours) == json.loads(theirs)
    assert b'"when":"2026-11-20T10:00:00.123Z"' in ours
    assert "Ñoño 日本".encode() in ours  # UTF-8 as is, not \u escapes
