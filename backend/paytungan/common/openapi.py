"""Error responses in the OpenAPI document, added in one place for every operation.

Handlers declare only their success responses; the errors follow from rules that hold for the
whole API (docs/api.md, DESIGN.md "Rules that hold everywhere"), so they are derived here from
what each operation is: who may call it, whether it has a body, query or path parameters, and
whether it changes state. A client generator and the schema fuzzer (tests/test_api_fuzz.py) then
know every status an operation can answer and the one error shape they all share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ninja import NinjaAPI

ERROR_SCHEMA = "Error"
ERROR_BODY_SCHEMA = "ErrorResponse"
_REF = "#/components/schemas/"
_UNSAFE = {"post", "put", "patch", "delete"}
_METHODS = _UNSAFE | {"get", "head", "options"}

DESCRIPTIONS = {
    400: "Unparseable request: invalid JSON, a wrong content type or a malformed header.",
    401: "Not authenticated: log in or send a valid Bearer token.",
    403: "Not allowed: a failed CSRF check, or a member who may not do this.",
    404: "No such object, or the caller is not a member of its group.",
    409: "Conflict with the current state (a stale `version`, a deleted bill, a decided payment).",
    413: "The request body is larger than the server accepts.",
    422: "Well-formed but invalid input; `details.fields` maps dotted paths to messages.",
    415: "The uploaded file is not of a type this operation accepts.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    503: "The server is busy with this kind of work; retry after `Retry-After` seconds.",
}

_SCHEMAS: dict[str, Any] = {
    ERROR_SCHEMA: {
        "title": ERROR_SCHEMA,
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "Stable, machine-readable code."},
            "message": {"type": "string", "description": "For people; may be translated."},
            "details": {
                "type": "object",
                "description": "`fields` for field errors, `retry_after` for 429, ...",
                "properties": {
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    }
                },
                "additionalProperties": True,
            },
        },
        "required": ["code", "message", "details"],
        "additionalProperties": False,
    },
    ERROR_BODY_SCHEMA: {
        "title": ERROR_BODY_SCHEMA,
        "type": "object",
        "properties": {"error": {"$ref": _REF + ERROR_SCHEMA}},
        "required": ["error"],
        "additionalProperties": False,
    },
}

# Public operations that count attempts (accounts/services.py): sign-up, log-in, password reset.
_THROTTLED_PUBLIC = {
    "/api/auth/register",
    "/api/auth/login",
    "/api/auth/password-reset",
    "/api/auth/password-reset/confirm",
}
# A public operation that answers 401 by itself: wrong email or password.
_PUBLIC_401 = {("post", "/api/auth/login")}


def _auth_kinds(api: NinjaAPI) -> dict[str, str]:
    """operationId -> "user" (a logged-in caller, rate-limited), "csrf" (public, CSRF on a
    session) or "public". An auth callable says which it is by its `openapi_kind` attribute
    (accounts/auth.py: ApiAuth "user", CsrfOnly "csrf"), so this needn't import accounts."""
    kinds: dict[str, str] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for op in path_view.operations:
                op_id = op.operation_id or api.get_openapi_operation_id(op)
                declared = {getattr(cb, "openapi_kind", None) for cb in op.auth_callbacks or []}
                kinds[op_id] = next((k for k in ("user", "csrf") if k in declared), "public")
    return kinds


def error_statuses(
    *, method: str, path: str, kind: str, has_body: bool, has_query: bool, has_path: bool
) -> set[int]:
    """The error statuses one operation can answer."""
    if kind == "public" and path.startswith("/api/health/"):
        return set()  # answered by HealthCheckMiddleware before anything else runs
    unsafe = method in _UNSAFE
    statuses = {400}  # a non-numeric Content-Length or a malformed Authorization header
    if kind == "user":
        statuses |= {401, 429}
    if unsafe and kind in ("user", "csrf"):
        statuses.add(403)  # CSRF on a session; roles on group writes
    if (method, path) in _PUBLIC_401:
        statuses.add(401)
    if kind == "csrf" and path in _THROTTLED_PUBLIC:
        statuses.add(429)
    if has_path:
        statuses.add(404)
    if unsafe and has_path and kind == "user":
        statuses.add(409)
    if has_body:
        statuses.add(413)
    if has_body or has_query or (unsafe and kind != "public"):
        statuses.add(422)
    return statuses


# Shared responses under components/responses, one per status, referenced by each operation.
RESPONSE_NAMES = {
    400: "BadRequest",
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    413: "PayloadTooLarge",
    422: "Invalid",
    415: "UnsupportedMediaType",
    429: "Throttled",
    503: "Busy",
}


def _response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": _REF + ERROR_BODY_SCHEMA}}},
    }
    if status in (429, 503):
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds until the limit resets.",
                "schema": {"type": "integer"},
            }
        }
    return response


def add_error_responses(schema: dict[str, Any], api: NinjaAPI) -> dict[str, Any]:
    """Adds the error schema and each operation's error responses; a response an operation
    documents itself is left as it is."""
    kinds = _auth_kinds(api)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(_SCHEMAS)
    components.setdefault("responses", {}).update(
        {name: _response(status) for status, name in RESPONSE_NAMES.items()}
    )
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            if method not in _METHODS:
                continue
            params = op.get("parameters", [])
            statuses = error_statuses(
                method=method,
                path=path,
                kind=kinds.get(op.get("operationId", ""), "public"),
                has_body="requestBody" in op,
                has_query=any(p.get("in") == "query" for p in params),
                has_path=any(p.get("in") == "path" for p in params),
            )
            if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
                statuses |= {415, 503}  # uploads: a file of the wrong type; a full worker pool
            responses = op.setdefault("responses", {})
            for status in sorted(statuses):
                # Ninja keys responses by int (200); a handler's own entry for a status wins.
                if status not in responses and str(status) not in responses:
                    responses[status] = {"$ref": "#/components/responses/" + RESPONSE_NAMES[status]}
    return schema
