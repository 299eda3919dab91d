"""GET /api/auth/session: who is logged in, 200 either way (a logged-out page's first call)."""

from __future__ import annotations

from paytungan.accounts.tokens import token_create
from paytungan.common.testing import assert_error_shape


def test_logged_out_is_a_200_with_no_user(api):
    response = api.get("/api/auth/session")
    assert response.status == 200
    assert response.json == {"user": None}


def test_logged_in_gives_the_same_profile_as_me(user_client):
    response = user_client.get("/api/auth/session")
    assert response.status == 200
    assert response.json == {"user": user_client.get("/api/me").json}


def test_a_bearer_token_counts_and_a_bad_one_is_refused(api, user):
    __, secret = token_create(user=user, name="cli")
    assert api.with_token(secret).get("/api/auth/session").json["user"]["id"] == user.pk
    assert_error_shape(api.with_token("pyt_not-a-token").get("/api/auth/session"), 401)
