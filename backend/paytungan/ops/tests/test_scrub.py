"""The scrubber removes secrets and personal data wherever they turn up in an event."""

import pytest

from paytungan.ops.scrub import (
    FILTERED,
    is_sensitive_key,
    scrub_breadcrumb,
    scrub_event,
    scrub_text,
)


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "new_password",
        "X-CSRFToken",
        "csrftoken",
        "Authorization",
        "Cookie",
        "sessionid",
        "token",
        "access_tokens",
        "api_key",
        "email",
        "payout_account_number",
        "account_number",
        "accountName",
        "client_secret",
        "Proxy-Authorization",
        "sentry_dsn",
    ],
)
def test_sensitive_keys(key):
    assert is_sensitive_key(key)


@pytest.mark.parametrize("key", ["name", "author", "amount", "currency", "group_id", "request_id"])
def test_ordinary_keys(key):
    assert not is_sensitive_key(key)


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("user ayu.lestari@example.com failed", "ayu.lestari@example.com"),
        ("LoginIn(email='a@b.co', password='hunter2 with spaces')", "hunter2 with spaces"),
        ('{"password": "p\\"w", "x": 1}', 'p\\"w'),
        ("GET /hooks/uptime?token=abc123secret&x=1", "abc123secret"),
        ("Authorization: Bearer pat_abcdef123456", "pat_abcdef123456"),
        ("payout_account_number=1234567890", "1234567890"),
        ("/api/invites/Xy7-secret-code/accept", "Xy7-secret-code"),
    ],
)
def test_secrets_inside_free_text_are_removed(text, leaked):
    assert leaked not in scrub_text(text)


def test_text_without_secrets_is_unchanged():
    text = "ZeroDivisionError: division by zero in bill_create (group 7)"
    assert scrub_text(text) == text
    assert scrub_text("dsn http://public@127.0.0.1:9/1") == "dsn http://public@127.0.0.1:9/1"


def test_event_request_extra_frames_breadcrumbs_user():
    event = {
        "request": {
            "url": "https://api.paytungan.id/api/auth/login",
            "query_string": "token=qs-secret",
            "headers": {
                "Authorization": "Bearer x-secret",
                "Cookie": "sessionid=s",
                "Accept": "*/*",
            },
            "cookies": {"sessionid": "s", "csrftoken": "c"},
            "data": {
                "email": "a@b.co",
                "password": "pw",
                "name": "Ayu",
                "payout": {"account_number": "1234567890", "method": "bank"},
            },
        },
        "extra": {"context": {"token": "t-secret"}, "note": "mail me at a@b.co"},
        "exception": {
            "values": [
                {
                    "value": "no user a@b.co",
                    "stacktrace": {
                        "frames": [
                            {
                                "vars": {
                                    "password": "'pw'",
                                    "payload": "LoginIn(email='a@b.co', password='pw')",
                                }
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "login a@b.co", "data": {"Authorization": "x"}}]},
        "user": {"id": "42", "email": "a@b.co", "ip_address": "1.2.3.4", "username": "ayu"},
        "tags": {"request_id": "req-1"},
    }
    out = scrub_event(event)
    flat = repr(out)
    for secret in (
        "qs-secret",
        "x-secret",
        "sessionid=s",
        "a@b.co",
        "'pw'",
        "t-secret",
        "1234567890",
        "1.2.3.4",
        "ayu'",
    ):
        assert secret not in flat, secret
    assert "cookies" not in out["request"]
    assert out["request"]["headers"]["Accept"] == "*/*"
    assert out["request"]["data"]["name"] == "Ayu"
    assert out["request"]["data"]["payout"]["method"] == "bank"
    assert out["user"] == {"id": "42"}
    assert out["tags"] == {"request_id": "req-1"}
    assert event["request"]["data"]["password"] == "pw"  # a copy: the original is untouched


def test_header_pairs_are_judged_by_name():
    out = scrub_event(
        {"request": {"headers": [["Authorization", "Bearer abcdef123456"], ["Accept", "*/*"]]}}
    )
    assert out["request"]["headers"] == [["Authorization", FILTERED], ["Accept", "*/*"]]


def test_breadcrumb():
    crumb = {"category": "httplib", "data": {"url": "https://x/?token=abc123"}, "message": "a@b.co"}
    out = scrub_breadcrumb(crumb)
    assert "abc123" not in repr(out)
    assert "a@b.co" not in repr(out)


def test_deep_nesting_is_cut_not_crashed():
    deep = current = {}
    for _ in range(100):
        current["x"] = {}
        current = current["x"]
    assert scrub_event({"extra": deep})
