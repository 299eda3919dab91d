"""The hot reads skip ninja's response validation (common/responses.py): their payloads must
still be exactly what the schema-validated path would have sent."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from ninja.renderers import JSONRenderer

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
    # What ninja's own path would send: the validated model, rendered by ninja's renderer.
    assert (
        response.raw.content
        == JSONRenderer().render(HttpRequest(), validated, response_status=200).encode()
    )
