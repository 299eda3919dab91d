"""The scrubber removes secrets and personal data wherever they turn up in an event."""

import json
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from paytungan.ops.scrub import (
    FILTERED,
    is_sensitive_key,
    scrub_breadcrumb,
    scrub_event,
    scrub_text,
)
from paytungan.ops.sentry import sentry_options

# Personal data for the SDK test, kept up here: the SDK sends the source lines around each frame,
# and a literal next to the call would show up in them.
PAYER = ("Ayu Lestari", "ayu@example.com")
MEMBER = "Budi Santoso"
INVITE = "InviteSecret99"
NOTE = "pasted pyt_AbCdEf0123456789_secretxyz and rekening 9876543210"


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
        ("GET https://paytungan.id/join/Xy7-secret-code?ref=x", "Xy7-secret-code"),
        ("<WSGIRequest: GET '/join/Xy7-secret-code'>", "Xy7-secret-code"),
        ("user=<User: Ayu Lestari <ayu@example.com>>", "Ayu Lestari"),
        ("[<Member: Budi Santoso>, <Member: Citra>]", "Budi Santoso"),
        ("<AccessToken: laptop (pyt_abcdefgh…)>", "laptop"),
        ("my token is pyt_AbCdEf0123456789_-xyz, keep it", "AbCdEf0123456789"),
        ("transfer to BCA 1234567890 a/n Ayu", "1234567890"),
        ("rekening 123-456-7890 please", "456-7890"),
        ("WA 0812-3456-7890", "3456-7890"),
        # Account numbers as Indonesian banks print them (Mandiri, BRI), and other groupings.
        ("Mandiri 123-00-1234567-8", "1234567"),
        ("BRI 0123-01-012345-50-1", "012345"),
        ("no. rek 12345-67890", "67890"),
        ("rek 1234 5678 90", "5678"),
        # An invite code in a percent-encoded path: the login page's ?next= after /join/<code>
        # (a browser URL, and the Referer of the API calls made from that page).
        ("Referer: https://paytungan.id/login?next=%2Fjoin%2FXy7-secret-code", "Xy7-secret"),
        ("/signup?next=%2fjoin%2fXy7-secret-code&x=1", "Xy7-secret"),
        ("?next=%2Fapi%2Finvites%2FXy7-secret-code%2Faccept", "Xy7-secret"),
    ],
)
def test_secrets_inside_free_text_are_removed(text, leaked):
    assert leaked not in scrub_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "ZeroDivisionError: division by zero in bill_create (group 7)",
        "total 125000000 IDR (12.50 USD) on 2026-12-02 07:08:09, payment 12345",
        "request 0df56e4e1234567890abcdef12345678 took 3.1234567890 s",
        "<QuerySet []>",
        "bill 2026-12-02 Rp 1.234.567 and 10000 20000 30000, 2026-12-03T11:20:21.123456+00:00",
    ],
)
def test_text_without_secrets_is_unchanged(text):
    assert scrub_text(text) == text


def test_dsn_text_is_unchanged():
    assert scrub_text("dsn http://public@127.0.0.1:9/1") == "dsn http://public@127.0.0.1:9/1"


def test_event_request_extra_frames_breadcrumbs_user():
    event: dict[str, Any] = {
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
    deep: dict[str, Any] = {}
    current = deep
    for _ in range(100):
        current["x"] = {}
        current = current["x"]
    assert scrub_event({"extra": deep})


def test_scrubbing_twice_changes_nothing_more():
    text = "<User: Ayu <a@b.co>> pyt_abcdef123 /join/code 1234567890 name='Ayu'"
    once = scrub_text(text)
    assert scrub_text(once) == once


# --- through the real SDK: what sentry-sdk would send, caught by a local transport -------------


class CapturingTransport(Transport):
    """A transport that keeps envelopes in memory instead of sending them."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


def _pay(payer: Any, member: Any, note: str) -> None:
    display_name = member.name  # a local the SDK sends with the frame
    assert display_name
    invite_url = f"https://paytungan.id/join/{INVITE}"
    raise ValueError(f"cannot pay {member!r}: {note} {invite_url}")


@pytest.fixture
def sent_events(monkeypatch):
    """The events and breadcrumbs sentry-sdk serialises with our production options."""
    from paytungan.accounts.models import User
    from paytungan.groups.models import Member

    monkeypatch.setenv("SENTRY_DSN", "http://public@127.0.0.1:9/1")
    options = sentry_options(debug=False)
    assert options is not None
    transport = CapturingTransport(options)
    # The production hooks (before_send, before_breadcrumb) and options; no integrations, which
    # would patch Django for the rest of the test process.
    options = {**options, "integrations": [], "default_integrations": False}
    client = sentry_sdk.Client(**options, transport=transport)
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        scope.add_breadcrumb(
            category="navigation",
            message=f"opened /api/invites/{INVITE} as <User: {PAYER[0]} <{PAYER[1]}>>",
            data={"to": f"/join/{INVITE}", "note": NOTE},
        )
        try:
            _pay(User(name=PAYER[0], email=PAYER[1]), Member(name=MEMBER), NOTE)
        except ValueError:
            scope.capture_exception()
        scope.capture_message(f"payout for <Member: {MEMBER}>; {NOTE}")
    client.flush(timeout=5)
    client.close()
    events = [e.get_event() for e in transport.envelopes]
    return [e for e in events if e is not None]


def test_what_the_sdk_sends_has_no_invite_code_name_token_or_account_number(sent_events):
    assert len(sent_events) == 2
    sent = json.dumps(sent_events)
    for secret in (
        "InviteSecret99",
        "Ayu Lestari",
        "Budi Santoso",
        "ayu@example.com",
        "AbCdEf0123456789",
        "9876543210",
    ):
        assert secret not in sent, (
            secret,
            sent[max(0, sent.find(secret) - 300) : sent.find(secret) + 50],
        )


def test_what_the_sdk_sends_still_says_what_failed_and_where(sent_events):
    error = next(e for e in sent_events if "exception" in e)
    [exc] = error["exception"]["values"]
    assert exc["type"] == "ValueError"
    assert exc["value"].startswith("cannot pay <Member: [Filtered]>")
    frame = exc["stacktrace"]["frames"][-1]
    assert frame["function"] == "_pay"
    assert frame["vars"]["payer"] == "<User: [Filtered]>"
    assert frame["vars"]["display_name"] == FILTERED
    assert frame["vars"]["invite_url"] == FILTERED  # a sensitive name: the whole value
    [crumb] = error["breadcrumbs"]["values"]
    assert crumb["category"] == "navigation"
    assert crumb["data"]["to"] == "/join/[Filtered]"
