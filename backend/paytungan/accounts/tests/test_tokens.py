"""Personal access tokens: created once, stored hashed, listed, revoked, used as Bearer."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from paytungan.accounts.models import AccessToken
from paytungan.accounts.tokens import TOKEN_PREFIX, note_use, token_authenticate, token_create
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


def test_requests_that_read_the_same_old_value_write_it_once(user, queries):
    """A busy client's concurrent requests all read the same old last_used_at until the write
    is seen: one of them writes, the others do not queue on the row behind it."""
    token, __ = token_create(user=user, name="cli")
    old = timezone.now() - timedelta(minutes=5)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=old)
    with queries() as first:
        note_use(token_id=token.pk, seen=old)
    with queries() as second:
        note_use(token_id=token.pk, seen=old)
    assert len(first.captured_queries) == 1
    assert len(second.captured_queries) == 0
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > old


def test_a_write_made_meanwhile_elsewhere_is_kept(user):
    """Another instance wrote first: this one's UPDATE finds nothing over a minute old."""
    token, __ = token_create(user=user, name="cli")
    elsewhere = timezone.now() - timedelta(seconds=5)
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=elsewhere)
    note_use(token_id=token.pk, seen=timezone.now() - timedelta(minutes=5))
    token.refresh_from_db()
    assert token.last_used_at == elsewhere


def test_a_failed_write_is_tried_again_by_the_next_request(user, queries, monkeypatch):
    from django.db import DatabaseError
    from django.db.models import QuerySet

    token, __ = token_create(user=user, name="cli")
    real_update = QuerySet.update

    def failing(self, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(QuerySet, "update", failing)
    with pytest.raises(DatabaseError):
        note_use(token_id=token.pk, seen=None)
    monkeypatch.setattr(QuerySet, "update", real_update)
    with queries() as retry:
        note_use(token_id=token.pk, seen=None)
    assert len(retry.captured_queries) == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


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


def test_a_bearer_request_takes_one_query(make_client, user, queries):
    _, secret = token_create(user=user, name="cli")
    client = make_client().with_token(secret)
    client.get("/api/me")  # sets last_used_at
    with queries() as q:
        assert client.get("/api/me").status == 200
    # the token with its user; the rate limit is counted in memory; no session
    assert q.count == 1, [c["sql"] for c in q.captured_queries]


def test_a_group_scoped_bearer_request_loads_the_membership_in_the_same_query(
    make_client, user, queries
):
    from paytungan.groups.testing import make_group

    group, _ = make_group(owner=user)
    _, secret = token_create(user=user, name="cli")
    client = make_client().with_token(secret)
    client.get("/api/me")  # sets last_used_at
    with queries() as q:
        response = client.get(f"/api/groups/{group.pk}/members")
    assert response.status == 200
    # the token, its user and the membership (with the group); then the endpoint's own read
    assert q.count == 2, [c["sql"] for c in q.captured_queries]
    assert '"groups_member" m ON' in q.captured_queries[0]["sql"]

    outsider = make_user()
    _, other = token_create(user=outsider, name="cli")
    stranger = make_client().with_token(other)
    stranger.get("/api/me")
    with queries() as q:
        assert stranger.get(f"/api/groups/{group.pk}/members").status == 404
    assert q.count == 1  # the 404 comes from the same single query


# --- tokens go with the password (issue 11) -----------------------------------------------------
NEW_PASSWORD = "sambal-matah-bali-42"


def test_a_password_change_revokes_the_tokens(make_client, user):
    from paytungan.common.testing import DEFAULT_PASSWORD

    _, secret = token_create(user=user, name="cli")
    assert make_client().with_token(secret).get("/api/me").status == 200
    change = make_client(user).post(
        "/api/auth/password", {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert change.status == 200
    assert_error_shape(make_client().with_token(secret).get("/api/me"), 401)
    assert not AccessToken.objects.filter(user=user).exists()


def test_a_password_change_made_with_a_token_keeps_that_token_only(make_client, user):
    from paytungan.common.testing import DEFAULT_PASSWORD

    _, used = token_create(user=user, name="used")
    _, other = token_create(user=user, name="other")
    change = (
        make_client()
        .with_token(used)
        .post(
            "/api/auth/password",
            {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        )
    )
    assert change.status == 200
    assert make_client().with_token(used).get("/api/me").status == 200
    assert_error_shape(make_client().with_token(other).get("/api/me"), 401)


def test_a_password_reset_revokes_every_token(make_client, user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _, secret = token_create(user=user, name="cli")
    reset = (
        f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"
    )
    response = make_client().post(
        "/api/auth/password-reset/confirm", {"token": reset, "password": NEW_PASSWORD}
    )
    assert response.status == 200
    assert_error_shape(make_client().with_token(secret).get("/api/me"), 401)
