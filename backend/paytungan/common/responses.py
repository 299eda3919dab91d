"""How the API turns a payload into JSON bytes, and a response for payloads already in their
schema's shape.

One serialiser for every answer (`ApiRenderer`, ninja's renderer for the whole API, and
`shaped_json_bytes`): orjson, with everything orjson would format its own way (datetimes,
dates, times) handed to ninja's encoder, so values read exactly as ninja's JSON encoder writes
them ("2026-11-20T10:00:00.123Z"). The standard library's encoder cost 60 us of the 640 us a
50-member balances answer took in process; orjson takes 5 (docs/benchmarks.md, "Request path").

django-ninja validates every returned value against the route's response schema, which costs
about a millisecond on a 50-member balances response (docs/decisions/0009-request-path.md). The
hot selectors build exactly the schema's fields from typed model values, so the route returns
them serialised the way ninja would (same renderer) and skips that pass; the route keeps its
`response=` schema for OpenAPI, and tests check that each such payload validates against it and
renders byte for byte as ninja's own path would (common/tests/test_responses.py).
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_ninja_default = NinjaJSONEncoder().default
# Non-string keys as the standard library writes them ({1: x} -> {"1": x}).
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def json_bytes(data: Any) -> bytes:
    """`data` as the API serialises it. Compact, and UTF-8 as is (no \\u escapes)."""
    return orjson.dumps(data, default=_ninja_default, option=_OPTIONS)


class ApiRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return json_bytes(data)


def shaped_json_bytes(data: Any) -> bytes:
    """`data`, already in the route's response shape, as the API's renderer serialises it."""
    return json_bytes(data)


def shaped_json(data: Any, status: int = 200) -> HttpResponse:
    """`data`, already in the route's response shape, as ninja would render it."""
    return HttpResponse(
        shaped_json_bytes(data),
        status=status,
        content_type="application/json; charset=utf-8",
    )
