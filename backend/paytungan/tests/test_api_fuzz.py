"""Schema fuzzing: schemathesis generates requests from docs/openapi.json (the committed contract)
and sends them through the real WSGI app as an authenticated user who belongs to a group.

Whatever it sends, the API must never answer 5xx, must answer only the statuses the operation
documents (the error responses come from common/openapi.py), with the documented content type
and a body that matches the documented schema, success or error. Bounded: a few examples per
operation so `make test` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from paytungan.accounts.tokens import token_create
from paytungan.common.testing import make_user
from paytungan.wsgi import application

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_path(SCHEMA_PATH)

# Operations that end the caller's session or account would make every later example a 401.
_SKIP = {("DELETE", "/api/me"), ("POST", "/api/auth/logout")}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def no_connection_closing():
    """Calling the WSGI app directly fires request_finished, which would close the test's
    transaction-wrapped connection; Django's own test client disconnects it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_identity(db, no_connection_closing):
    from paytungan.groups.models import Group, Member

    user = make_user(name="Fuzz")
    group = Group.objects.create(name="Fuzz group", currency="IDR", created_by=user)
    Member.objects.create(group=group, user=user, name=user.name)
    Member.objects.create(group=group, name="Guest")
    _, secret = token_create(user=user, name="fuzz")
    return {"token": secret, "gid": group.pk}


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_no_input_makes_the_api_fail(case, fuzz_identity):
    if (case.method.upper(), case.path) in _SKIP:
        pytest.skip("would end the fuzzing identity")
    if case.path_parameters and "gid" in case.path_parameters:
        # Mostly aim at a group the caller belongs to, so bodies reach real validation.
        case.path_parameters["gid"] = fuzz_identity["gid"]
    response = case.call(
        app=application,
        headers={"Authorization": f"Bearer {fuzz_identity['token']}"},
    )
    case.validate_response(response, checks=CHECKS)
