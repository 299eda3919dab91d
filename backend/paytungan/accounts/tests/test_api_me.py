"""GET|PATCH|DELETE /api/me and GET /api/me/export."""

from __future__ import annotations

import json

import pytest

from paytungan.accounts.models import AccessToken, User
from paytungan.accounts.tokens import token_create
from paytungan.common.testing import assert_error_shape, make_user


def test_me_returns_the_profile_in_the_documented_shape(user_client, user):
    response = user_client.get("/api/me")
    assert response.status == 200
    assert response.json == {
        "id": user.pk,
        "email": user.email,
        "name": "Ayu",
        "username": None,
        "default_currency": "IDR",
        "locale": "en",  # make_user's default in tests (common/testing.py)
        "payout": {
            "method": "",
            "account_name": "",
            "account_number": "",
            "share_with_groups": False,
        },
    }


def test_me_takes_a_constant_number_of_queries(user_client, queries):
    with queries() as q:
        assert user_client.get("/api/me").status == 200
    # session, user, the per-user rate-limit counter
    assert q.count <= 3, [c["sql"] for c in q.captured_queries]


# --- PATCH ---------------------------------------------------------------------------------------
def test_patch_changes_only_the_fields_sent(user_client, user):
    response = user_client.patch("/api/me", {"name": "  Ayu Lestari "})
    assert response.status == 200
    assert response.json["name"] == "Ayu Lestari"
    user.refresh_from_db()
    # make_user's users speak English (common/testing.py); the locale is left as it was.
    assert (user.name, user.default_currency, user.locale) == ("Ayu Lestari", "IDR", "en")


def test_patch_an_empty_body_changes_nothing(user_client):
    before = user_client.get("/api/me").json
    assert user_client.patch("/api/me", {}).json == before


def test_patch_rejects_a_blank_name(user_client):
    for name in ("", "   "):
        error = assert_error_shape(user_client.patch("/api/me", {"name": name}), 422)
        assert "name" in error["details"]["fields"]


def test_patch_username_is_lower_cased(user_client, user):
    assert user_client.patch("/api/me", {"username": "Ayu.L_99"}).json["username"] == "ayu.l_99"
    user.refresh_from_db()
    assert user.username == "ayu.l_99"


@pytest.mark.parametrize("username", ["ab", "ayu lestari", "ayu-l", "ayu!", "é" * 5, "a" * 31])
def test_patch_rejects_a_username_breaking_the_rules(user_client, username):
    error = assert_error_shape(user_client.patch("/api/me", {"username": username}), 422)
    assert "username" in error["details"]["fields"]


def test_patch_rejects_a_username_taken_in_another_case(user_client):
    make_user(username="dewi")
    response = user_client.patch("/api/me", {"username": "DEWI"})
    error = assert_error_shape(response, 422, "username_taken")
    assert "username" in error["details"]["fields"]


def test_patch_username_null_or_empty_clears_it(user_client, user):
    user_client.patch("/api/me", {"username": "ayu"})
    assert user_client.patch("/api/me", {"username": None}).json["username"] is None
    user_client.patch("/api/me", {"username": "ayu"})
    assert user_client.patch("/api/me", {"username": ""}).json["username"] is None
    # Several users without a username do not collide.
    make_user()
    user.refresh_from_db()
    assert user.username is None


def test_patch_default_currency_is_upper_cased_and_must_be_known(user_client):
    assert (
        user_client.patch("/api/me", {"default_currency": "usd"}).json["default_currency"] == "USD"
    )
    error = assert_error_shape(user_client.patch("/api/me", {"default_currency": "XYZ"}), 422)
    assert "default_currency" in error["details"]["fields"]
    error = assert_error_shape(user_client.patch("/api/me", {"default_currency": "RUPIAH"}), 422)
    assert "default_currency" in error["details"]["fields"]


def test_patch_locale_accepts_id_and_en_only(user_client):
    assert user_client.patch("/api/me", {"locale": "en"}).json["locale"] == "en"
    error = assert_error_shape(user_client.patch("/api/me", {"locale": "fr"}), 422)
    assert "locale" in error["details"]["fields"]


def test_patch_payout_details(user_client, user):
    payout = {
        "method": "bank",
        "account_name": " Ayu Lestari ",
        "account_number": "BCA 123-456-7890",
        "share_with_groups": True,
    }
    response = user_client.patch("/api/me", {"payout": payout})
    assert response.json["payout"] == {**payout, "account_name": "Ayu Lestari"}
    # A partial payout update keeps the other payout fields.
    response = user_client.patch("/api/me", {"payout": {"share_with_groups": False}})
    assert response.json["payout"]["method"] == "bank"
    assert response.json["payout"]["share_with_groups"] is False
    user.refresh_from_db()
    assert user.payout_account_number == "BCA 123-456-7890"


def test_patch_rejects_an_unknown_payout_method_with_a_dotted_path(user_client):
    error = assert_error_shape(user_client.patch("/api/me", {"payout": {"method": "btc"}}), 422)
    assert list(error["details"]["fields"]) == ["payout.method"]


def test_patch_rejects_unknown_fields(user_client):
    error = assert_error_shape(user_client.patch("/api/me", {"is_staff": True}), 422)
    assert "is_staff" in error["details"]["fields"]
    error = assert_error_shape(user_client.patch("/api/me", {"payout": {"iban": "x"}}), 422)
    assert "payout.iban" in error["details"]["fields"]


def test_patch_email_is_normalised(user_client, user):
    response = user_client.patch("/api/me", {"email": " Ayu.New@Example.COM "})
    assert response.json["email"] == "ayu.new@example.com"
    user.refresh_from_db()
    assert user.email == "ayu.new@example.com"


def test_patch_email_must_be_unique_case_insensitively(user_client, user):
    make_user(email="taken@example.com")
    response = user_client.patch("/api/me", {"email": "TAKEN@example.com"})
    error = assert_error_shape(response, 422, "email_taken")
    assert "email" in error["details"]["fields"]
    user.refresh_from_db()
    assert user.email != "taken@example.com"


def test_patch_own_email_in_another_case_is_fine(user_client, user):
    assert user_client.patch("/api/me", {"email": user.email.upper()}).status == 200


def test_patch_rejects_an_invalid_email(user_client):
    error = assert_error_shape(user_client.patch("/api/me", {"email": "nope"}), 422)
    assert "email" in error["details"]["fields"]


def test_patch_stores_html_and_sql_as_plain_text(user_client, user):
    name = "<script>alert(1)</script>'; DROP TABLE accounts_user; --"
    response = user_client.patch("/api/me", {"name": name})
    assert response.json["name"] == name
    assert response.headers["Content-Type"].startswith("application/json")
    user.refresh_from_db()
    assert user.name == name
    assert User.objects.count() == 1


# --- DELETE --------------------------------------------------------------------------------------
def test_delete_me_erases_the_account_and_ends_the_session(user_client, user):
    token_create(user=user, name="cli")
    other = make_user(name="Budi")
    response = user_client.delete("/api/me")
    assert response.status == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not AccessToken.objects.exists()
    assert User.objects.filter(pk=other.pk).exists()
    assert_error_shape(user_client.get("/api/me"), 401, "not_authenticated")


def test_delete_me_by_bearer_token(make_client, user):
    _, secret = token_create(user=user, name="cli")
    bearer = make_client().with_token(secret)
    assert bearer.delete("/api/me").status == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert_error_shape(bearer.get("/api/me"), 401)


def test_delete_me_turns_memberships_into_guests_keeping_other_peoples_groups_whole(
    user_client, user
):
    from paytungan.groups.models import Group, Member

    owner = make_user(name="Budi")
    group = Group.objects.create(name="Bali trip", currency="IDR", created_by=owner)
    mine = Member.objects.create(group=group, user=user, name="Ayu")
    theirs = Member.objects.create(group=group, user=owner, name="Budi")
    own_group = Group.objects.create(name="Ayu's", currency="IDR", created_by=user)

    assert user_client.delete("/api/me").status == 204

    mine.refresh_from_db()
    assert (mine.user_id, mine.name, mine.group_id) == (None, "Ayu", group.pk)
    theirs.refresh_from_db()
    assert theirs.user_id == owner.pk
    assert Group.objects.filter(pk=group.pk).exists()
    own_group.refresh_from_db()
    assert own_group.created_by_id is None


def test_the_deleted_email_can_register_again(user_client, user, make_client):
    email = user.email
    user_client.delete("/api/me")
    response = make_client().post(
        "/api/auth/register", {"email": email, "password": "kopi-susu-gula-aren-77", "name": "A"}
    )
    assert response.status == 201


# --- export --------------------------------------------------------------------------------------
def test_export_downloads_my_data_as_a_json_attachment(user_client, user):
    token, secret = token_create(user=user, name="laptop")
    user_client.patch("/api/me", {"payout": {"method": "ewallet", "account_number": "0812"}})

    response = user_client.get("/api/me/export")

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".json" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.raw.content)
    assert data["profile"]["email"] == user.email
    assert data["profile"]["payout"]["account_number"] == "0812"
    assert data["profile"]["date_joined"]
    assert [t["name"] for t in data["tokens"]] == ["laptop"]
    assert data["tokens"][0]["prefix"] == token.prefix

    body = response.raw.content.decode()
    token.refresh_from_db()
    user.refresh_from_db()
    assert token.digest not in body
    assert secret not in body
    assert user.password not in body
    assert "argon2" not in body
    assert "digest" not in body
    assert "password" not in body


def test_export_contains_no_other_users_data(user_client):
    other = make_user(email="other@example.com")
    token_create(user=other, name="other-token")
    body = user_client.get("/api/me/export").raw.content.decode()
    assert "other@example.com" not in body
    assert "other-token" not in body
