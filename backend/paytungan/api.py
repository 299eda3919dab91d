"""The Ninja API: one instance, its auth, its parser, its error handlers and its routers."""

from __future__ import annotations

from ninja import NinjaAPI

from paytungan.accounts.api import auth_router, me_router
from paytungan.accounts.auth import api_auth
from paytungan.common import handlers
from paytungan.common.parser import StrictJsonParser
from paytungan.ops.api import router as health_router

api = NinjaAPI(
    title="Paytungan API",
    version="1",
    description="Split bills with friends. Money amounts are decimal strings in major units.",
    auth=api_auth,
    parser=StrictJsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
handlers.install(api)

api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/health", health_router)
