"""Health endpoints as documented routes. In practice HealthCheckMiddleware answers these paths
first (so probes work whatever Host they send); the routes put them in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from paytungan.ops import health

router = Router(tags=["ops"])


@router.get("/live", auth=None, response={200: dict[str, Any]})
def live(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(*health.live())


@router.get("/ready", auth=None, response={200: dict[str, Any], 503: dict[str, Any]})
def ready(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(*health.ready())
