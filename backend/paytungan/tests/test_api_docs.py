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
