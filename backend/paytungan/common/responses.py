"""A JSON response for hot reads whose payload is already in its schema's shape.

django-ninja validates every returned value against the route's response schema, which costs
about a millisecond on a 50-member balances response (docs/decisions/0009-request-path.md). The
hot selectors build exactly the schema's fields from typed model values, so the route returns
them serialised the way ninja would (same encoder) and skips that pass; the route keeps its
`response=` schema for OpenAPI, and tests check that each such payload validates against it and
renders byte for byte as ninja's own path would (common/tests/test_responses.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder


def shaped_json_bytes(data: Any) -> bytes:
    """`data`, already in the route's response shape, as ninja would serialise it."""
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


def shaped_json(data: Any, status: int = 200) -> HttpResponse:
    """`data`, already in the route's response shape, as ninja would render it."""
    return HttpResponse(
        shaped_json_bytes(data),
        status=status,
        content_type="application/json; charset=utf-8",
    )
