"""Cursors are opaque to clients but not trusted: whatever a client puts in `?cursor=`, every
paginated endpoint answers 200 or 422, never a 500 (each 500 would also be a Sentry event)."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paytungan.accounts.models import User
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.common.testing import assert_error_shape, make_user
from paytungan.groups.testing import make_group

ENDPOINTS = ("groups", "bills", "payments", "activity", "me/payments")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _json_cursor(value: Any) -> str:
    return _b64(json.dumps(value).encode())


@pytest.fixture
def paged(user: User, user_client: Any) -> dict[str, str]:
    """A group with a bill, a payment and activity, so each list has rows and a real cursor."""
    budi = make_user(name="Budi")
    group, m = make_group(owner=user, users=(budi,), guests=("Citra",))
    body = equal_bill(payer=m[user], members=[m[user], m["Citra"]], total="30000")
    assert user_client.post(bills_url(group), body).status == 201
    payment = {
        "from_member_id": m[budi].pk,
        "to_member_id": m[user].pk,
        "amount": "1000",
        "currency": "IDR",
    }
    assert user_client.post(f"/api/groups/{group.pk}/payments", payment).status == 201
    base = f"/api/groups/{group.pk}"
    return {
        "groups": "/api/groups",
        "bills": f"{base}/bills",
        "payments": f"{base}/payments",
        "activity": f"{base}/activity",
        "me/payments": "/api/me/payments?direction=incoming&status=confirmed",
    }


def _get(client: Any, url: str, cursor: str) -> Any:
    sep = "&" if "?" in url else "?"
    return client.get(url + sep + urlencode({"cursor": cursor, "limit": 1}))


CRAFTED = [
    # The attack as reported: a string where the sort key is an id or a date.
    ("groups", ["a"]),
    ("activity", ["a"]),
    ("bills", ["2026-01-01", "x"]),
    ("payments", ["2026-01-01", "x"]),
    ("me/payments", ["2026-01-01", "x"]),
    # Out of bigint's range, a bool, a float, a null.
    ("groups", [2**63]),
    ("activity", [-(2**63) - 1]),
    ("activity", [True]),
    ("activity", [1.5]),
    ("groups", [None]),
    # Dates: the wrong tag, an impossible day, a naive or overflowing datetime, extra keys.
    ("bills", [{"d": "2026-02-30", "t": "d"}, 1]),
    ("bills", [{"d": "2026-01-01T00:00:00+00:00", "t": "dt"}, 1]),
    ("bills", [{"d": "2026-01-01", "t": "d", "x": 1}, 1]),
    ("payments", [{"d": "2026-01-01T00:00:00", "t": "dt"}, 1]),
    ("payments", [{"d": "0001-01-01T00:00:00+05:00", "t": "dt"}, 1]),
    ("payments", [{"d": "9999-12-31T23:59:59-05:00", "t": "dt"}, 1]),
    ("me/payments", [{"d": 20260101, "t": "dt"}, 1]),
    ("me/payments", [{"d": "2026-01-01T00:00:00+00:00", "t": "dt"}, "1"]),
    # Wrong lengths and shapes.
    ("bills", [1]),
    ("groups", [1, 2]),
    ("groups", {"id": 1}),
    ("activity", []),
]


@pytest.mark.parametrize(("endpoint", "values"), CRAFTED)
def test_a_crafted_cursor_is_a_422(user_client: Any, paged: Any, endpoint: str, values: Any):
    r = _get(user_client, paged[endpoint], _json_cursor(values))
    body = assert_error_shape(r, 422)
    assert "cursor" in body["details"]["fields"]


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "W10",  # []
        _b64(b"\xff\xfe"),  # not UTF-8
        _b64(b"[NaN]"),
        _b64(b"[Infinity]"),
        _b64(b"[" + b"9" * 5000 + b"]"),  # past Python's int parsing limit
        _b64(b"[" * 500 + b"]" * 500),
        "WzFd" + "\u00e9",  # a valid cursor with a non-ASCII tail
        "W zFd",  # base64 that only decodes when junk is ignored
        _json_cursor([1]) * 200,  # far too long
    ],
)
def test_junk_cursors_are_a_422_everywhere(user_client: Any, paged: Any, cursor: str):
    for endpoint in ENDPOINTS:
        assert _get(user_client, paged[endpoint], cursor).status == 422, endpoint


def test_the_cursors_the_api_hands_out_still_work(user_client: Any, paged: Any, user: User):
    make_group(owner=user, name="Second")
    for endpoint in ("groups", "activity"):
        first = user_client.get(
            paged[endpoint] + ("&" if "?" in paged[endpoint] else "?") + "limit=1"
        )
        assert first.status == 200
        assert first.json["next_cursor"], endpoint
        assert _get(user_client, paged[endpoint], first.json["next_cursor"]).status == 200


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=30)
    | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["d", "t", "x"]), children, max_size=3)
        | st.fixed_dictionaries(
            {"d": st.text(max_size=40) | st.datetimes().map(str), "t": st.sampled_from(["d", "dt"])}
        )
    ),
    max_leaves=6,
)
_cursors = (
    _json.map(_json_cursor)
    | st.lists(_json, min_size=1, max_size=2).map(_json_cursor)
    | st.binary(max_size=64).map(_b64)
    | st.text(max_size=64)
)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cursor=_cursors)
def test_no_cursor_makes_a_paginated_endpoint_fail(
    user_client: Any, paged: Any, endpoint: str, cursor: str
):
    # The test client re-raises a view's exception, so a 500 fails here with its traceback.
    r = _get(user_client, paged[endpoint], cursor)
    assert r.status in (200, 422), (r.status, r.json)
