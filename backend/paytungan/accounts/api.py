from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from ninja import Router, Status

from paytungan.accounts import selectors, services, tokens
from paytungan.accounts.auth import api_auth, csrf_only, request_user
from paytungan.accounts.schemas import (
    CsrfOut,
    LoginIn,
    MeOut,
    MePatchIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegisterIn,
    SessionOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenListOut,
)
from paytungan.common.schemas import OkOut

auth_router = Router(tags=["auth"])
me_router = Router(tags=["me"])


@auth_router.get("/csrf", response=CsrfOut, auth=None)
def csrf(request: HttpRequest) -> dict[str, str]:
    return {"csrf_token": get_token(request)}


@auth_router.get("/session", response=SessionOut, auth=None)
def session(request: HttpRequest) -> dict[str, object]:
    """The logged-in user, or null: what a page asks before it knows whether anyone is logged
    in (GET /api/me answers 401 then, which browsers log as an error in the console). A Bearer
    token is checked as everywhere: a bad one is a 401."""
    user = api_auth(request)
    return {"user": selectors.me_payload(user=user) if user is not None else None}


@auth_router.post("/register", response={201: MeOut}, auth=csrf_only)
def register(request: HttpRequest, payload: RegisterIn) -> Status[dict[str, object]]:
    user = services.user_register(
        request=request, email=payload.email, password=payload.password, name=payload.name
    )
    return Status(201, selectors.me_payload(user=user))


@auth_router.post("/login", response=MeOut, auth=csrf_only)
def login(request: HttpRequest, response: HttpResponse, payload: LoginIn) -> dict[str, object]:
    # `response` (Ninja's) carries the known-device cookie of accounts/lockout.py.
    user = services.user_login(
        request=request, email=payload.email, password=payload.password, response=response
    )
    return selectors.me_payload(user=user)


@auth_router.post("/logout", response=OkOut, auth=csrf_only)
def logout(request: HttpRequest) -> dict[str, bool]:
    services.user_logout(request=request)
    return {"ok": True}


@auth_router.post("/password-reset", response={202: OkOut}, auth=csrf_only)
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[dict[str, bool]]:
    services.password_reset_request(request=request, email=payload.email)
    return Status(202, {"ok": True})


@auth_router.post("/password-reset/confirm", response=OkOut, auth=csrf_only)
def password_reset_confirm(
    request: HttpRequest, payload: PasswordResetConfirmIn
) -> dict[str, bool]:
    services.password_reset_confirm(token=payload.token, password=payload.password)
    return {"ok": True}


@auth_router.post("/password", response=OkOut)
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> dict[str, bool]:
    services.password_change(
        request=request,
        user=request_user(request),
        current_password=payload.current_password,
        new_password=payload.new_password,
    )
    return {"ok": True}


@auth_router.get("/tokens", response=TokenListOut)
def token_list(request: HttpRequest) -> dict[str, object]:
    return {"items": tokens.token_list(user=request_user(request))}


@auth_router.post("/tokens", response={201: TokenCreatedOut})
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, object]]:
    token, secret = tokens.token_create(user=request_user(request), name=payload.name)
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "token": secret,
        },
    )


@auth_router.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    tokens.token_revoke(user=request_user(request), token_id=token_id)
    return Status(204, None)


@me_router.get("", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    return selectors.me_payload(user=request_user(request))


@me_router.patch("", response=MeOut)
def me_update(request: HttpRequest, payload: MePatchIn) -> dict[str, object]:
    user = services.user_update(
        user=request_user(request), data=payload.model_dump(exclude_unset=True)
    )
    return selectors.me_payload(user=user)


@me_router.delete("", response={204: None})
def me_delete(request: HttpRequest) -> Status[None]:
    services.user_delete(request=request, user=request_user(request))
    return Status(204, None)


@me_router.get("/export", response={200: dict})
def me_export(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    body = json.dumps(selectors.user_export(user=user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="paytungan-me-{user.pk}.json"'
    response["Cache-Control"] = "no-store"  # personal data: no shared or browser cache
    return response
