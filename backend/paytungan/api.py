"""The Ninja API: one instance, its auth, its parser, its error handlers and its routers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from paytungan.accounts.api import auth_router, me_router
from paytungan.accounts.auth import api_auth
from paytungan.bills.api import router as bills_router
from paytungan.common import handlers
from paytungan.common.openapi import add_error_responses
from paytungan.common.parser import StrictJsonParser
from paytungan.common.responses import ApiRenderer
from paytungan.groups.access import group_for_member
from paytungan.groups.api import invites_router
from paytungan.groups.api import router as groups_router
from paytungan.groups.invite_public import router as invite_public_router
from paytungan.imports.api import router as imports_router
from paytungan.ledger.api import router as ledger_router
from paytungan.live.api import router as live_router
from paytungan.notifications.api import me_notifications_router, unsubscribe_router
from paytungan.ops.api import router as health_router
from paytungan.ops.reporting import report_unexpected
from paytungan.payments.api import me_payments_router
from paytungan.payments.api import router as payments_router
from paytungan.receipts.api import router as receipts_router
from paytungan.recurring.api import router as recurring_router
from paytungan.spending.api import router as spending_router


class PaytunganAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Handlers declare their successes; the error responses follow from API-wide rules.
        add_error_responses(schema, self)
        return schema


api = PaytunganAPI(
    title="Paytungan API",
    version="1",
    description="Split bills with friends. Money amounts are decimal strings in major units.",
    auth=api_auth,
    parser=StrictJsonParser(),
    renderer=ApiRenderer(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
handlers.install(api, report=report_unexpected, check_membership=group_for_member)

api.add_router("/auth", auth_router)
api.add_router("/me/payments", me_payments_router)
api.add_router("/me/notifications", me_notifications_router)
api.add_router("/notifications", unsubscribe_router)
api.add_router("/me", me_router)
api.add_router("/health", health_router)
# Group-scoped routes live in their own apps, all under /api/groups/{gid}/...
api.add_router("/groups", groups_router)
api.add_router("/groups", bills_router)
api.add_router("/groups", payments_router)
api.add_router("/groups", ledger_router)
api.add_router("/groups", receipts_router)
api.add_router("/groups", imports_router)
api.add_router("/groups", live_router)
api.add_router("/groups", recurring_router)
api.add_router("/groups", spending_router)
api.add_router("/invites", invites_router)
api.add_router("/invites", invite_public_router)
