"""Every password change signs out the user's sessions and revokes their tokens, wherever it comes
from: the API (test_tokens.py, test_api_auth.py), `manage.py changepassword`, the admin's
password change form. One place decides (accounts/tokens.py, `revoke_on_password_change`)."""

from __future__ import annotations

import getpass
import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client

from paytungan.accounts.models import AccessToken
from paytungan.accounts.tokens import token_create
from paytungan.common.testing import DEFAULT_PASSWORD, assert_error_shape, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sambal-matah-bali-42"


@pytest.fixture
def plain_static(settings):
    # Production settings want collectstatic's manifest; a fresh checkout has none.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_manage_py_changepassword_revokes_the_tokens_and_signs_out_the_sessions(
    make_client, user, monkeypatch
):
    _, secret = token_create(user=user, name="cli")
    session = make_client(user)
    assert make_client().with_token(secret).get("/api/me").status == 200
    assert session.get("/api/me").status == 200
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", user.email, stdout=io.StringIO())

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not AccessToken.objects.filter(user=user).exists()
    assert_error_shape(make_client().with_token(secret).get("/api/me"), 401)
    assert_error_shape(session.get("/api/me"), 401)


def test_the_admins_password_change_form_revokes_the_tokens_and_keeps_that_session(
    make_client, plain_static
):
    staff = make_user(is_staff=True, is_superuser=True)
    _, secret = token_create(user=staff, name="cli")
    elsewhere = make_client(staff)
    admin = Client()
    admin.force_login(staff)

    response = admin.post(
        "/admin/password_change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/admin/password_change/done/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert not AccessToken.objects.filter(user=staff).exists()
    assert_error_shape(make_client().with_token(secret).get("/api/me"), 401)
    assert_error_shape(elsewhere.get("/api/me"), 401)
    assert admin.get("/api/me").status_code == 200  # Django's view keeps the changer's session


def test_saving_the_user_without_a_new_password_keeps_the_tokens(make_client, user):
    _, secret = token_create(user=user, name="cli")
    bearer = make_client().with_token(secret)
    assert bearer.patch("/api/me", {"name": "Ayu Lestari"}).status == 200
    user.refresh_from_db()
    user.save()
    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["name"])  # the new password is not what this save writes
    assert bearer.get("/api/me").status == 200


def test_a_rehash_at_login_is_not_a_password_change(make_client, user):
    # An older hasher's hash is upgraded to the preferred one when the password is checked
    # (Django's check_password setter); the password stays the same, so the tokens stay too.
    user.password = make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    _, secret = token_create(user=user, name="cli")
    login = make_client().post(
        "/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert make_client().with_token(secret).get("/api/me").status == 200
