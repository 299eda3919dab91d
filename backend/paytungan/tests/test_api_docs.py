"""The OpenAPI document and its UI at /api/docs."""

from __future__ import annotations

from django.test import override_settings

# Without `collectstatic` (tests, `make run`) static files come from the app directories.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
def test_docs_page_serves_the_openapi_ui_without_a_login(api):
    response = api.get("/api/docs")
    assert response.status == 200
    assert "swagger" in response.raw.content.decode().lower()


def test_openapi_json_describes_the_api(api):
    response = api.get("/api/openapi.json")
    assert response.status == 200
    spec = response.json
    assert spec["info"]["title"] == "Paytungan API"
    for path in ("/api/auth/register", "/api/me", "/api/auth/tokens", "/api/health/ready"):
        assert path in spec["paths"]


def _ops(spec):
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            yield method, path, op


def _resolve(spec, response):
    ref = response.get("$ref")
    return spec["components"]["responses"][ref.rsplit("/", 1)[1]] if ref else response


def test_every_operation_documents_its_errors_in_the_one_error_shape(api):
    spec = api.get("/api/openapi.json").json
    shape = spec["components"]["schemas"]["ErrorResponse"]
    assert shape["required"] == ["error"]
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "details"]
    documented = 0
    for method, path, op in _ops(spec):
        if path.startswith("/api/health/"):
            continue
        errors = {code: _resolve(spec, r) for code, r in op["responses"].items() if code >= "4"}
        assert "400" in errors, (method, path)
        for code, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, code)
        documented += len(errors)
    assert documented > 200  # was 0: only successes were documented


def test_error_statuses_follow_what_each_operation_is(api):
    spec = api.get("/api/openapi.json").json
    codes = {(m, p): set(op["responses"]) for m, p, op in _ops(spec)}
    # Authenticated, hence rate-limited: 401 and 429 everywhere; a body -> 413 and 422.
    assert {"401", "429"} <= codes[("get", "/api/me")]
    assert {"401", "403", "413", "422", "429"} <= codes[("patch", "/api/me")]
    # Group-scoped: 404 for a non-member; version and state conflicts: 409.
    assert {"404", "409", "422"} <= codes[("put", "/api/groups/{gid}/bills/{bid}")]
    assert {"404", "409"} <= codes[("post", "/api/groups/{gid}/payments/{pid}/confirm")]
    assert "404" in codes[("get", "/api/groups/{gid}/balances")]
    # A bad cursor or limit: 422 on the paginated lists.
    assert "422" in codes[("get", "/api/groups/{gid}/activity")]
    # Public: login is throttled and answers 401 for a wrong password; no 404 without a path id.
    assert {"401", "403", "422", "429"} <= codes[("post", "/api/auth/login")]
    assert "404" not in codes[("post", "/api/auth/login")]
    assert "401" not in codes[("get", "/api/auth/csrf")]
    assert codes[("get", "/api/health/live")] == {"200"}
    throttled = _resolve(spec, spec["paths"]["/api/me"]["get"]["responses"]["429"])
    assert "Retry-After" in throttled["headers"]
