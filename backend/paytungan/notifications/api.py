from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router

from paytungan.accounts.auth import request_user
from paytungan.accounts.models import User
from paytungan.notifications import selectors, services
from paytungan.notifications.schemas import PreferencesOut, PreferencesPatchIn, UnsubscribeOut

me_notifications_router = Router(tags=["notifications"])
unsubscribe_router = Router(tags=["notifications"])


@me_notifications_router.get("", response=PreferencesOut)
def preferences(request: HttpRequest) -> dict[str, object]:
    return asdict(selectors.preferences_get(user=request_user(request)))


@me_notifications_router.patch("", response=PreferencesOut)
def preferences_update(request: HttpRequest, payload: PreferencesPatchIn) -> dict[str, object]:
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return asdict(services.preferences_update(user=request_user(request), data=data))


def _hint(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _answer(user: User, kind: str) -> dict[str, object]:
    prefs = selectors.preferences_get(user=user)
    subscribed = {
        "pending_payment": prefs.pending_payments,
        "balance": prefs.balance_reminders,
        "digest": prefs.weekly_digest,
    }[kind]
    return {"kind": kind, "email": _hint(user.email), "subscribed": subscribed}


# No login: the signed token is the credential. GET only shows what the link would do (mail
# scanners and link prefetchers follow GETs); the page's button, or a mail client's one-click
# button (RFC 8058, form body "List-Unsubscribe=One-Click", ignored), POSTs.
@unsubscribe_router.get("/unsubscribe", response=UnsubscribeOut, auth=None)
def unsubscribe_show(request: HttpRequest, token: str) -> dict[str, object]:
    user, kind = services.unsubscribe_target(token=token)
    return _answer(user, kind)


@unsubscribe_router.post("/unsubscribe", response=UnsubscribeOut, auth=None)
def unsubscribe(request: HttpRequest, token: str) -> dict[str, object]:
    user, kind = services.unsubscribe(token=token)
    return _answer(user, kind)
