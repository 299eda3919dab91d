"""GET/PATCH /api/me/notifications and the unsubscribe endpoints (no login, signed token)."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

from paytungan.common.testing import ApiClient, assert_error_shape, make_user
from paytungan.notifications.messages import one_click_url, unsubscribe_page_url
from paytungan.notifications.models import NotificationPreferences
from paytungan.notifications.tokens import unsubscribe_token

DEFAULTS = {
    "pending_payments": True,
    "balance_reminders": False,
    "balance_days": 7,
    "weekly_digest": False,
}


def test_defaults_without_a_row(user_client):
    response = user_client.get("/api/me/notifications")
    assert response.status == 200
    assert response.json == DEFAULTS
    assert not NotificationPreferences.objects.exists()


def test_patch_changes_only_what_is_sent(user_client, user):
    response = user_client.patch(
        "/api/me/notifications", {"balance_reminders": True, "balance_days": 3}
    )
    assert response.status == 200
    assert response.json == {**DEFAULTS, "balance_reminders": True, "balance_days": 3}
    response = user_client.patch("/api/me/notifications", {"weekly_digest": True})
    assert response.json == {
        **DEFAULTS,
        "balance_reminders": True,
        "balance_days": 3,
        "weekly_digest": True,
    }
    assert user_client.get("/api/me/notifications").json == response.json


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"balance_days": 0}, "balance_days"),
        ({"balance_days": 91}, "balance_days"),
        ({"balance_days": "x"}, "balance_days"),
        ({"weekly_digest": "maybe"}, "weekly_digest"),
        ({"sms": True}, "sms"),
    ],
)
def test_bad_preferences_are_422_with_field_errors(user_client, body, field):
    error = assert_error_shape(user_client.patch("/api/me/notifications", body), 422)
    assert field in error["details"]["fields"], error


def test_preferences_need_a_login(api):
    assert_error_shape(api.get("/api/me/notifications"), 401)
    assert_error_shape(api.patch("/api/me/notifications", {"weekly_digest": True}), 401)


def test_preferences_take_a_constant_number_of_queries(user_client, queries):
    user_client.get("/api/me/notifications")
    with queries() as q:
        assert user_client.get("/api/me/notifications").status == 200
    # session, user, the per-user rate-limit counter, the preferences row
    assert q.count <= 4, [c["sql"] for c in q.captured_queries]
    user_client.patch("/api/me/notifications", {"weekly_digest": True})
    with queries() as q:
        assert user_client.patch("/api/me/notifications", {"balance_days": 5}).status == 200
    # + savepoint/lock-and-read, update, release
    assert q.count <= 8, [c["sql"] for c in q.captured_queries]


def test_unsubscribe_get_shows_and_post_turns_the_kind_off(api, user):
    NotificationPreferences.objects.create(user=user, weekly_digest=True, balance_reminders=True)
    token = unsubscribe_token(user_id=user.pk, kind="digest")

    shown = api.get(f"/api/notifications/unsubscribe?token={quote(token)}")
    assert shown.status == 200
    assert shown.json == {
        "kind": "digest",
        "email": f"{user.email[0]}***@example.com",
        "subscribed": True,
    }
    assert NotificationPreferences.objects.get().weekly_digest  # a GET changes nothing

    done = api.post(f"/api/notifications/unsubscribe?token={quote(token)}")
    assert done.status == 200
    assert done.json["subscribed"] is False
    prefs = NotificationPreferences.objects.get()
    assert (prefs.weekly_digest, prefs.balance_reminders) == (False, True)
    # Twice is fine.
    assert api.post(f"/api/notifications/unsubscribe?token={quote(token)}").status == 200


def test_one_click_post_from_a_mail_client(api, user, settings):
    """RFC 8058: the client POSTs the List-Unsubscribe URL with a form body, no cookies, no
    CSRF token."""
    settings.FRONTEND_URL = "https://paytungan.example"
    url = one_click_url(user_id=user.pk, kind="pending_payment")
    path = url.removeprefix("https://paytungan.example")
    response = api.post(
        path,
        raw="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        csrf=False,
    )
    assert response.status == 200, response.json
    assert NotificationPreferences.objects.get(user=user).pending_payments is False


def test_the_page_link_carries_the_same_kind_of_token(user):
    url = unsubscribe_page_url(user_id=user.pk, kind="balance")
    token = unquote(url.split("token=", 1)[1])
    assert token == unsubscribe_token(user_id=user.pk, kind="balance")


@pytest.mark.parametrize("token", ["", "nonsense", "eyJ1IjoxLCJrIjoiZGlnZXN0In0:bad:sig"])
def test_bad_tokens_are_422(api, token):
    for response in (
        api.get(f"/api/notifications/unsubscribe?token={quote(token)}"),
        api.post(f"/api/notifications/unsubscribe?token={quote(token)}"),
    ):
        error = assert_error_shape(response, 422)
        assert response.status == 422, error


def test_a_token_of_a_deleted_account_is_422(api, db):
    gone = make_user()
    token = unsubscribe_token(user_id=gone.pk, kind="digest")
    gone.delete()
    assert_error_shape(
        api.post(f"/api/notifications/unsubscribe?token={quote(token)}"), 422, "invalid_token"
    )


def test_a_token_cannot_be_forged_for_another_kind_or_user(api, user):
    other = make_user()
    token = unsubscribe_token(user_id=user.pk, kind="digest")
    signature = token.rpartition(":")[2]
    forged = unsubscribe_token(user_id=other.pk, kind="digest").rsplit(":", 1)[0] + ":" + signature
    assert_error_shape(api.post(f"/api/notifications/unsubscribe?token={quote(forged)}"), 422)
    assert not NotificationPreferences.objects.exists()


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("id-ID,id;q=0.9", "Tautan berhenti langganan ini tidak valid atau sudah tidak berlaku."),
        ("en-US,en;q=0.9", "This unsubscribe link is invalid or no longer valid."),
    ],
)
def test_a_bad_token_is_refused_in_the_readers_language(db, accept_language, message):
    # No login on this page: the language is the browser's (or the app's cookie).
    response = ApiClient(accept_language=accept_language).get(
        "/api/notifications/unsubscribe?token=nonsense"
    )
    error = assert_error_shape(response, 422, "invalid_token")
    assert error["details"]["fields"] == {"token": [message]}
