"""Personal access tokens: created once, stored hashed, listed, revoked, used as Bearer."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone

from paytungan.accounts.models import AccessToken
from paytungan.accounts.tokens import TOKEN_PREFIX, token_authenticate, token_create
from paytungan.common.testing import assert_error_shape, make_user


def test_create_shows_the_secret_once_and_stores_only_its_digest(user_client, user):
    response = user_client.post("/api/auth/tokens", {"name": "  laptop  "})
    assert response.status == 201
    secret = response.json["token"]
    assert secret.startswith(TOKEN_PREFIX)
    assert len(secret) >= 40
    assert response.json["name"] == "laptop"
    assert response.json["last_used_at"] is None
    assert secret.startswith(response.json["prefix"])

    stored = AccessToken.objects.get(pk=response.json["id"])
    assert stored.user_id == user.pk
    assert stored.digest != secret
    assert secret not in stored.digest
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()

    listed = user_client.get("/api/auth/tokens").json["items"]
    assert [t["id"] for t in listed] == [stored.pk]
    assert "token" not in listed[0]
    assert secret not in str(listed)


def test_each_token_is_different(user):
    secrets = {token_create(user=user, name="t")[1] for _ in range(5)}
    assert len(secrets) == 5


def test_list_shows_only_my_tokens_newest_first(user_client, user):
    other = make_user()
    token_create(user=other, name="theirs")
    older, _ = token_create(user=user, name="older")
    token_create(user=user, name="newer")
    AccessToken.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    items = user_client.get("/api/auth/tokens").json["items"]
    assert [t["name"] for t in items] == ["newer", "older"]
    assert set(items[0]) == {"id", "name", "prefix", "created_at", "last_used_at"}


def test_bearer_call_sets_last_used_at(make_client, user):
    token, secret = token_create(user=user, name="cli")
    assert token.last_used_at is None
    assert make_client().with_token(secret).get("/api/me").status == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_last_used_at_is_written_at_most_once_a_minute(user, queries):
    token, secret = token_create(user=user, name="cli")
    token_authenticate(secret=secret)
    with queries() as q:
        assert token_authenticate(secret=secret) == user
    assert len(q.captured_queries) == 1  # the lookup, no UPDATE
    AccessToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=5)
    )
    with queries() as q:
        token_authenticate(secret=secret)
    assert len(q.captured_queries) == 2


def test_bearer_writes_need_no_csrf(make_client, user):
    _, secret = token_create(user=user, name="cli")
    client = make_client().with_token(secret)
    response = client.post("/api/auth/tokens", {"name": "second"})
    assert response.status == 201


def test_revoke_then_the_token_is_401(make_client, user_client, user):
    token, secret = token_create(user=user, name="cli")
    bearer = make_client().with_token(secret)
    assert bearer.get("/api/me").status == 200
    assert user_client.delete(f"/api/auth/tokens/{token.pk}").status == 204
    assert not AccessToken.objects.filter(pk=token.pk).exists()
    assert_error_shape(bearer.get("/api/me"), 401, "not_authenticated")


def test_a_token_can_revoke_itself(make_client, user):
    token, secret = token_create(user=user, name="cli")
    bearer = make_client().with_token(secret)
    assert bearer.delete(f"/api/auth/tokens/{token.pk}").status == 204
    assert bearer.get("/api/me").status == 401


def test_other_users_tokens_are_404_and_survive(user_client):
    other = make_user()
    theirs, _ = token_create(user=other, name="theirs")
    response = user_client.delete(f"/api/auth/tokens/{theirs.pk}")
    assert_error_shape(response, 404, "not_found")
    assert AccessToken.objects.filter(pk=theirs.pk).exists()


def test_unknown_or_absurd_token_ids_are_404_or_422_never_500(user_client):
    assert_error_shape(user_client.delete("/api/auth/tokens/999999"), 404)
    assert_error_shape(user_client.delete("/api/auth/tokens/99999999999999999999999"), 404)
    assert_error_shape(user_client.delete("/api/auth/tokens/abc"), 422)


def test_create_rejects_a_blank_or_missing_name(user_client):
    for body in ({"name": ""}, {"name": "   "}, {}):
        error = assert_error_shape(user_client.post("/api/auth/tokens", body), 422)
        assert "name" in error["details"]["fields"]
    assert not AccessToken.objects.exists()


def test_bad_bearer_secrets_are_401(make_client):
    for secret in ("nope", TOKEN_PREFIX + "x" * 43, TOKEN_PREFIX + "x" * 500):
        response = make_client().with_token(secret).get("/api/me")
        assert_error_shape(response, 401, "not_authenticated")


def test_a_deactivated_users_token_is_401(make_client):
    owner = make_user()
    _, secret = token_create(user=owner, name="cli")
    owner.is_active = False
    owner.save()
    assert_error_shape(make_client().with_token(secret).get("/api/me"), 401)


def test_token_routes_need_a_login(api):
    assert_error_shape(api.get("/api/auth/tokens"), 401)
    assert_error_shape(api.post("/api/auth/tokens", {"name": "x"}), 401)
    assert_error_shape(api.delete("/api/auth/tokens/1"), 401)


def test_a_bearer_request_takes_a_constant_number_of_queries(make_client, user, queries):
    _, secret = token_create(user=user, name="cli")
    client = make_client().with_token(secret)
    client.get("/api/me")  # sets last_used_at
    with queries() as q:
        assert client.get("/api/me").status == 200
    # the token with its user, the per-user rate-limit counter; no session
    assert q.count == 2, [c["sql"] for c in q.captured_queries]
