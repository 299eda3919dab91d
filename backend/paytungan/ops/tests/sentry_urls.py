"""A test-only URLconf for the Sentry ingestion test (sentry_probe.py): API routes that fail
unexpectedly, fail in a handled way, or report a failing external call, with the real error
handlers installed; and a plain Django view that raises."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from paytungan.common import handlers
from paytungan.common.errors import NotFound
from paytungan.ops.reporting import report_unexpected

probe_api = NinjaAPI(urls_namespace="sentry-probe", docs_url=None, openapi_url=None)
handlers.install(probe_api, report=report_unexpected, check_membership=None)


@probe_api.post("/groups/{gid}/boom")
def boom(request: HttpRequest, gid: int) -> dict[str, str]:
    payload = json.loads(request.body)
    password = payload["password"]  # a local variable Sentry would capture in the frame
    raise RuntimeError(f"unexpected failure for {payload['email']} ({len(password)})")


@probe_api.post("/groups/{gid}/handled")
def handled(request: HttpRequest, gid: int) -> dict[str, str]:
    raise NotFound("No such group.")


@probe_api.post("/groups/{gid}/gateway")
def gateway(request: HttpRequest, gid: int) -> dict[str, str]:
    try:
        raise ConnectionError("payment provider timed out")
    except ConnectionError as exc:
        report_unexpected(exc, what="payment provider failed", group_id=gid, provider="stub")
    return {"status": "queued"}


def plain_boom(request: HttpRequest) -> HttpResponse:
    raise ValueError("plain view failure")


urlpatterns = [path("api/", probe_api.urls), path("plain/boom", plain_boom)]
