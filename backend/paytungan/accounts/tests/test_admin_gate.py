"""/admin/: throttled like the API's login, and not served at all without ADMIN_ENABLED."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from paytungan.common.testing import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def admin_login(client: Client, email: str, password: str, *, ip: str = "203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_admin_login_is_throttled_like_the_api(frozen_time, settings):
    # Production settings want collectstatic's manifest; a fresh checkout has none.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    staff = make_user(is_staff=True, is_superuser=True)
    client = Client()
    statuses = [admin_login(client, staff.email, "wrong-password-0").status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2  # 200: the form again, with an error
    refused = admin_login(client, staff.email, DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Failures at the API's login and the admin's share one budget.
    api_attempt = Client().post(
        "/api/auth/login",
        {"email": staff.email, "password": "x"},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
    )
    assert api_attempt.status_code == 429
    # The owner, elsewhere, gets in.
    assert (
        admin_login(Client(), staff.email, DEFAULT_PASSWORD, ip="198.51.100.3").status_code == 302
    )


@override_settings(ADMIN_ENABLED=False)
def test_without_admin_enabled_admin_is_not_served():
    staff = make_user(is_staff=True, is_superuser=True)
    client = Client()
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    assert admin_login(client, staff.email, DEFAULT_PASSWORD).status_code == 404
    client.force_login(staff)
    assert client.get("/admin/accounts/user/").status_code == 404
