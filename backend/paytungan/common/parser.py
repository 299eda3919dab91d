"""Request body parsing: JSON only, and an unparseable body is a 400 in the error shape."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser

from paytungan.common.errors import BadRequest


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise BadRequest(
                _("Send the body as JSON with Content-Type: application/json."),
                code="unsupported_media_type",
            )
        try:
            data = json.loads(request.body, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(
                _("The body is not valid JSON: {reason}").format(reason=exc), code="invalid_json"
            ) from None
        except RecursionError:
            raise BadRequest(_("The body is nested too deeply."), code="invalid_json") from None
        return cast(dict[str, Any], data)


def _reject_constant(name: str) -> Any:
    # json.loads accepts NaN/Infinity by default; they are not JSON.
    raise ValueError(f"{name} is not valid JSON")
