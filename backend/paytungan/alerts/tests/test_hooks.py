import base64
import time

import pytest

from paytungan.alerts.models import Alert, HookReceipt
from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.tests import payloads

pytestmark = pytest.mark.django_db


def stored() -> list[NormalizedAlert]:
    return [NormalizedAlert.from_json(a.payload) for a in Alert.objects.order_by("id")]


def assert_nothing_stored() -> None:
    assert Alert.objects.count() == 0
    assert HookReceipt.objects.count() == 0


def test_signed_event_alert_is_stored_before_the_answer(relay, post_sentry):
    response = post_sentry("event_alert", payloads.event_alert(request_id="req-abc"))
    assert response.status_code == 202
    assert response.json() == {"stored": 1, "folded": 0}
    [alert] = stored()
    assert alert.kind == "event_alert.triggered"
    assert alert.project == "front-end"
    assert alert.request_id == "req-abc"
    assert alert.issue_key == "sentry:front-end:1117540176"


@pytest.mark.parametrize("action", ["created", "resolved", "unresolved", "assigned", "archived"])
def test_every_documented_issue_action_is_stored(relay, post_sentry, action):
    response = post_sentry("issue", payloads.issue(action))
    assert response.status_code == 202
    [alert] = stored()
    assert alert.kind == f"issue.{action}"
    assert alert.issue_key == "sentry:front-end:1170820242"


@pytest.mark.parametrize("action", ["critical", "warning", "resolved"])
def test_metric_alerts_are_stored(relay, post_sentry, action):
    assert post_sentry("metric_alert", payloads.metric_alert(action)).status_code == 202
    [alert] = stored()
    assert alert.kind == f"metric_alert.{action}"


def test_a_second_secret_is_accepted_during_rotation(relay, post_sentry):
    relay.SENTRY_WEBHOOK_SECRETS = [payloads.SECRET, payloads.OLD_SECRET]
    response = post_sentry("event_alert", payloads.event_alert(), secret=payloads.OLD_SECRET)
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"signature": "0" * 64}, "bad_signature"),
        ({"signature": ""}, "unsigned"),
        ({"secret": "not-the-client-secret"}, "bad_signature"),
        ({"timestamp": -301}, "stale"),
        ({"timestamp": +301}, "stale"),
        ({"timestamp": "yesterday"}, "bad_timestamp"),
    ],
)
def test_bad_signature_or_stale_timestamp_is_401_and_nothing_stored(
    relay, post_sentry, headers, code
):
    if isinstance(headers.get("timestamp"), int):  # an offset from now
        headers = {"timestamp": time.time() + headers["timestamp"]}
    response = post_sentry("event_alert", payloads.event_alert(), **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert_nothing_stored()


def test_a_signature_over_other_bytes_is_rejected(relay, hook_client):
    body = payloads.encode(payloads.event_alert())
    headers = payloads.sentry_headers(body, "event_alert")
    tampered = body.replace(b"heck is not defined", b"all is fine here!!!")
    response = hook_client.post(
        "/hooks/sentry", data=tampered, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("resource", "raw"),
    [
        ("event_alert", b"{not json"),
        ("event_alert", b"\xff\xfe"),
        ("event_alert", b"[1, 2]"),
        ("event_alert", b'{"action": "triggered", "data": {}}'),
        ("event_alert", b'{"action": "triggered", "data": {"event": {"title": "no id"}}}'),
        ("issue", b'{"action": "created", "data": {"issue": {"title": "no id"}}}'),
        ("issue", b'{"action": "created", "data": "x"}'),
        ("metric_alert", b'{"action": "critical", "data": {"metric_alert": []}}'),
    ],
)
def test_malformed_signed_body_is_400_and_nothing_stored(relay, post_sentry, resource, raw):
    response = post_sentry(resource, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_payload"
    assert_nothing_stored()


def test_resources_that_are_not_alerts_are_acknowledged_and_ignored(relay, post_sentry):
    body = {"action": "created", "data": {"installation": {"uuid": "x"}}, "installation": {}}
    response = post_sentry("installation", body)
    assert response.status_code == 200
    assert Alert.objects.count() == 0


def test_the_same_body_twice_is_stored_once(relay, post_sentry):
    body = payloads.encode(payloads.event_alert())
    assert post_sentry("event_alert", raw=body).status_code == 202
    replay = post_sentry("event_alert", raw=body)  # fresh timestamp, same signed body
    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    assert Alert.objects.count() == 1


def test_unconfigured_secret_is_503_not_a_silent_accept(relay, post_sentry):
    relay.SENTRY_WEBHOOK_SECRETS = []
    assert post_sentry("event_alert", payloads.event_alert()).status_code == 503
    assert_nothing_stored()


def test_only_post_is_allowed(relay, hook_client):
    assert hook_client.get("/hooks/sentry").status_code == 405
    assert hook_client.get("/hooks/uptime").status_code == 405


def test_oversized_body_is_413(relay, hook_client):
    response = hook_client.post(
        "/hooks/sentry",
        data=b"x",
        content_type="application/json",
        CONTENT_LENGTH=str(6 * 1024 * 1024),
    )
    assert response.status_code == 413


# --- legacy webhook plugin: unsigned, so only with the token ---------------------------------


def test_legacy_plugin_needs_the_token(relay, hook_client):
    body = payloads.encode(payloads.legacy())
    for path in ("/hooks/sentry", "/hooks/sentry?token=wrong-token-0123456789abcdef"):
        response = hook_client.post(path, data=body, content_type="application/json")
        assert response.status_code == 401
    assert_nothing_stored()
    response = hook_client.post(
        f"/hooks/sentry?token={payloads.TOKEN}", data=body, content_type="application/json"
    )
    assert response.status_code == 202
    [alert] = stored()
    assert alert.kind == "legacy.triggered"
    assert alert.issue_key == "sentry:backend:27379932"
    assert alert.request_id == "req-legacy-1"


def test_legacy_plugin_malformed_body_is_400(relay, hook_client):
    response = hook_client.post(
        f"/hooks/sentry?token={payloads.TOKEN}",
        data=b'{"project": "backend"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert_nothing_stored()


# --- Google Cloud Monitoring ------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "closed"])
def test_uptime_incident_with_token_is_stored(relay, hook_client, state):
    response = hook_client.post(
        f"/hooks/uptime?token={payloads.TOKEN}",
        data=payloads.encode(payloads.uptime(state)),
        content_type="application/json",
    )
    assert response.status_code == 202
    [alert] = stored()
    assert alert.kind == f"uptime.{state}"
    assert alert.title == ("Down: API uptime" if state == "open" else "Recovered: API uptime")


def test_uptime_token_may_come_as_basic_auth_password(relay, hook_client):
    credentials = base64.b64encode(f"gcm:{payloads.TOKEN}".encode()).decode()
    response = hook_client.post(
        "/hooks/uptime",
        data=payloads.encode(payloads.uptime()),
        content_type="application/json",
        headers={"Authorization": f"Basic {credentials}"},
    )
    assert response.status_code == 202


@pytest.mark.parametrize("query", ["", "?token=", "?token=hook-token-0123456789-abcdefghiX"])
def test_uptime_without_the_right_token_is_401(relay, hook_client, query):
    response = hook_client.post(
        f"/hooks/uptime{query}",
        data=payloads.encode(payloads.uptime()),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert_nothing_stored()


@pytest.mark.parametrize(
    "raw", [b"nope", b"{}", b'{"incident": {"state": "sleeping"}}', b'{"incident": 3}']
)
def test_uptime_malformed_body_is_400(relay, hook_client, raw):
    response = hook_client.post(
        f"/hooks/uptime?token={payloads.TOKEN}", data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert_nothing_stored()


def test_hooks_answer_within_one_second(relay, post_sentry):
    started = time.monotonic()
    for _ in range(20):
        assert post_sentry("event_alert", payloads.event_alert()).status_code == 202
    assert (time.monotonic() - started) / 20 < 1.0


# --- hostile text and shapes: stored safely or a clear 4xx, never a 500 ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "null\u0000byte",  # PostgreSQL refuses NUL in text and JSONB
        "bell\u0007 escape\u001b[31m del\u007f c1\u0085",
        "lone surrogate \ud800 here",  # json.loads lets it through; UTF-8 cannot carry it
    ],
)
def test_control_characters_are_stored_safely_and_delivered(relay, post_sentry, discord, text):
    from paytungan.alerts import delivery

    body = payloads.event_alert(title=text, message=f"detail {text}", request_id=text)
    response = post_sentry("event_alert", body)  # json.dumps writes \u0000 / \ud800 escapes
    assert response.status_code == 202
    [alert] = stored()
    for value in (alert.title, alert.description, alert.request_id):
        assert "\ufffd" in value
        assert not any(
            (ord(c) < 32 and c not in "\t\n") or 0xD800 <= ord(c) < 0xE000 for c in value
        )
    assert delivery.drain().alerts == 1
    assert discord.violations == []


def test_bytes_that_are_not_utf8_are_stored_safely(relay, post_sentry):
    # Sentry signed these exact bytes: refusing them would lose the alert (Sentry never retries).
    raw = payloads.encode(payloads.event_alert(title="bad TITLE here")).replace(
        b"TITLE", b"\xff\xc3(\xed\xa0\x80"
    )
    assert post_sentry("event_alert", raw=raw).status_code == 202
    [alert] = stored()
    assert alert.title.startswith("bad \ufffd")
    assert not any(0xD800 <= ord(c) < 0xE000 for c in alert.title)


def test_an_integer_past_pythons_digit_limit_is_stored(relay, post_sentry):
    # int() refuses more than 4300 digits (ValueError); the number is kept as its digits.
    raw = payloads.encode(payloads.event_alert(title="big")).replace(
        b'"_ref": 1', b'"_ref": ' + b"9" * 5000
    )
    assert b"9" * 5000 in raw
    assert post_sentry("event_alert", raw=raw).status_code == 202
    [alert] = stored()
    assert alert.title == "big"


def test_an_issue_id_longer_than_the_key_column_is_stored(relay, post_sentry):
    for suffix in "ab":
        body = payloads.event_alert(issue_id="9" * 400 + suffix)
        assert post_sentry("event_alert", body).status_code == 202
    keys = list(Alert.objects.values_list("issue_key", flat=True))
    assert len(keys) == 2
    assert len(set(keys)) == 2
    assert all(len(key) <= 255 for key in keys)


@pytest.mark.parametrize(
    "raw", [b"[" * 100_000, b'{"a":' * 100_000, b'{"action": "triggered", "data": ' + b"[" * 50_000]
)
def test_absurd_nesting_is_400_not_a_500(relay, post_sentry, raw):
    response = post_sentry("event_alert", raw=raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_payload"
    assert "nested" in response.json()["error"]["message"]
    assert_nothing_stored()


def test_deep_nesting_on_the_token_hooks_is_400(relay, hook_client):
    response = hook_client.post(
        f"/hooks/uptime?token={payloads.TOKEN}",
        data=b"[" * 100_000,
        content_type="application/json",
    )
    assert response.status_code == 400


# --- a bug of ours must not lose an authenticated alert (Sentry never retries) --------------------
def _explode(*args, **kwargs):
    raise RuntimeError("parser bug")


def test_a_parser_bug_stores_an_unreadable_webhook_alert_delivered_once(
    relay, post_sentry, discord, monkeypatch, caplog
):
    from paytungan.alerts import delivery

    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    body = payloads.event_alert(title="Boom in checkout")
    response = post_sentry("event_alert", body)
    assert response.status_code == 202
    assert response.json() == {"stored": 1, "folded": 0, "fallback": "RuntimeError"}
    [alert] = stored()
    assert alert.kind == "relay.unreadable"
    assert alert.title == "Unreadable webhook (event_alert)"
    assert "Boom in checkout" in alert.description  # the body, for a human to read
    assert ("Error", "RuntimeError") in alert.details
    # The bug itself is logged once with its traceback (and reported), though Sentry got a 2xx.
    [record] = [r for r in caplog.records if r.name == "paytungan.errors"]
    assert record.exc_info is not None
    assert "parser bug" in str(record.exc_info[1])

    assert delivery.drain().alerts == 1
    [embed] = discord.embeds()
    assert embed["title"] == "Unreadable webhook (event_alert)"
    assert "Boom in checkout" in embed["description"]
    assert {"name": "Error", "value": "RuntimeError", "inline": True} in embed["fields"]
    assert discord.violations == []
    assert not Alert.objects.exists()
    assert delivery.drain().alerts == 0  # once


def test_the_same_unreadable_body_twice_is_stored_once(relay, post_sentry, monkeypatch):
    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    body = payloads.event_alert()
    assert post_sentry("event_alert", body).status_code == 202
    assert post_sentry("event_alert", body).json() == {"stored": 0, "duplicate": True}
    assert Alert.objects.count() == 1


def test_repeats_of_one_parser_bug_fold_into_one_message(relay, post_sentry, monkeypatch):
    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    for n in range(3):
        assert post_sentry("event_alert", payloads.event_alert(title=f"t{n}")).status_code == 202
    [row] = Alert.objects.all()
    assert row.count == 3


def test_the_fallback_shows_the_body_escaped_truncated_and_scrubbed(
    relay, post_sentry, discord, monkeypatch
):
    from paytungan.alerts import delivery

    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    raw = (
        b'{"note": "```@everyone <@&123> **bold**", "password": "hunter2-secret", "bad": "\xff",'
        b' "pad": "' + b"x" * 100_000 + b'"}'
    )
    assert post_sentry("event_alert", raw=raw).status_code == 202
    [alert] = stored()
    text = alert.description
    assert text.startswith("```json\n")
    assert text.endswith("\n```")
    assert text.count("```") == 2  # the body's own fences cannot close the code block
    assert "hunter2" not in text
    assert "\ufffd" in text  # bytes that are not UTF-8, shown visibly
    assert len(text) < 2000
    assert ("Body", f"{len(raw)} bytes (first 1500 shown)") in alert.details
    assert delivery.drain().alerts == 1
    [accepted] = discord.accepted
    assert accepted.body["allowed_mentions"] == {"parse": []}
    assert discord.violations == []


def test_a_bug_while_storing_the_parsed_alerts_also_stores_the_fallback(
    relay, post_sentry, monkeypatch
):
    from paytungan.alerts import outbox

    receive = outbox.receive

    def broken_for_parsed(alerts, **kw):
        if alerts and alerts[0].kind != "relay.unreadable":
            raise KeyError("outbox bug")
        return receive(alerts, **kw)

    monkeypatch.setattr(outbox, "receive", broken_for_parsed)
    response = post_sentry("event_alert", payloads.event_alert())
    assert response.status_code == 202
    assert response.json()["fallback"] == "KeyError"
    [alert] = stored()
    assert alert.kind == "relay.unreadable"
    assert HookReceipt.objects.count() == 1


def test_a_parser_bug_on_the_token_hooks_stores_the_fallback_too(relay, hook_client, monkeypatch):
    monkeypatch.setattr("paytungan.alerts.parsers.uptime.parse", _explode)
    response = hook_client.post(
        f"/hooks/uptime?token={payloads.TOKEN}",
        data=payloads.encode(payloads.uptime("open")),
        content_type="application/json",
    )
    assert response.status_code == 202
    [alert] = stored()
    assert alert.kind == "relay.unreadable"
    assert alert.source == "uptime"


def test_an_unauthenticated_body_never_reaches_the_fallback(relay, post_sentry, monkeypatch):
    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    response = post_sentry("event_alert", payloads.event_alert(), secret="not-the-secret")
    assert response.status_code == 401
    assert_nothing_stored()


def test_when_even_the_fallback_fails_it_is_a_shaped_500_logged_with_its_traceback(
    relay, post_sentry, monkeypatch, caplog
):
    from paytungan.alerts import outbox

    monkeypatch.setattr("paytungan.alerts.parsers.sentry.parse", _explode)
    monkeypatch.setattr(outbox, "receive", lambda *a, **kw: _explode())
    response = post_sentry("event_alert", payloads.event_alert())
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    records = [r for r in caplog.records if r.name == "paytungan.errors"]
    assert records
    assert all(r.exc_info is not None for r in records)
    assert "parser bug" in str(records[-1].exc_info[1])
    assert_nothing_stored()
