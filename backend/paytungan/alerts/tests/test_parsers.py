"""The documented payloads become alerts with what an on-call person needs."""

import pytest

from paytungan.alerts.parsers import PayloadError, legacy, sentry, uptime
from paytungan.alerts.tests import payloads


def test_event_alert_carries_release_environment_request_id_and_link():
    [alert] = sentry.parse("event_alert", payloads.event_alert(request_id="req-9", release="abc1"))
    assert alert.title == "ReferenceError: heck is not defined"
    assert (alert.level, alert.environment, alert.release) == ("error", "production", "abc1")
    assert alert.request_id == "req-9"
    assert alert.url.startswith("https://sentry.io/organizations/test-org/issues/1117540176/")
    assert alert.culprit == "?(<anonymous>)"
    assert alert.rule == "Very Important Alert Rule!"
    assert alert.foldable


def test_event_alert_without_issue_id_stands_alone():
    body = payloads.event_alert()
    del body["data"]["event"]["issue_id"]
    [alert] = sentry.parse("event_alert", body)
    assert not alert.foldable
    assert alert.issue_key.startswith("sentry:front-end:event-")


@pytest.mark.parametrize(
    ("action", "title", "level"),
    [
        ("created", "New issue: ReferenceError: blooopy is not defined", "error"),
        ("resolved", "Resolved: ReferenceError: blooopy is not defined", "resolved"),
        ("unresolved", "Unresolved: ReferenceError: blooopy is not defined", "error"),
        ("assigned", "Assigned: ReferenceError: blooopy is not defined", "info"),
        ("archived", "Archived: ReferenceError: blooopy is not defined", "info"),
    ],
)
def test_issue_actions(action, title, level):
    [alert] = sentry.parse("issue", payloads.issue(action))
    assert (alert.title, alert.level, alert.short_id) == (title, level, "FRONT-END-9")
    assert not alert.foldable
    assert alert.event_count == "1"


def test_regressed_issue_says_so():
    [alert] = sentry.parse("issue", payloads.issue("unresolved", substatus="regressed"))
    assert alert.title.startswith("Regressed: ")


def test_assigned_issue_names_the_assignee_not_their_email():
    [alert] = sentry.parse("issue", payloads.issue("assigned"))
    assert ("Assigned to", "Ayu Lestari") in alert.details


def test_unknown_issue_action_is_ignored():
    assert sentry.parse("issue", payloads.issue("commented")) == []


@pytest.mark.parametrize(("action", "level"), [("critical", "fatal"), ("resolved", "resolved")])
def test_metric_alert(action, level):
    [alert] = sentry.parse("metric_alert", payloads.metric_alert(action))
    assert alert.level == level
    assert alert.project == "bar"
    assert alert.issue_key == "sentry-metric:7"
    assert alert.description.splitlines() == [
        "1000 events in the last 10 minutes",
        "Filter: level:error",
    ]
    assert alert.foldable is (action != "resolved")


def test_legacy_plugin():
    [alert] = legacy.parse(payloads.legacy())
    assert alert.title == "ZeroDivisionError: division by zero"
    assert alert.culprit == "paytungan.bills.services in bill_create"
    assert alert.rule == "Errors in production"
    assert alert.release == "3f2a9c1"


def test_uptime_incident():
    [down] = uptime.parse(payloads.uptime("open"))
    [up] = uptime.parse(payloads.uptime("closed"))
    assert (down.level, up.level) == ("fatal", "resolved")
    assert down.issue_key == up.issue_key  # open and closed are delivered in order
    assert down.description == "Uptime check for api.paytungan.id is failing in 3 regions."
    assert ("Resource", "api.paytungan.id") in down.details
    assert up.occurred_at.startswith("2020-01-01")


@pytest.mark.parametrize(
    "body", [None, [], {"data": None}, {"action": "triggered", "data": {"event": "x"}}]
)
def test_wrong_shapes_raise_payload_error(body):
    with pytest.raises(PayloadError):
        sentry.parse("event_alert", body)


def test_hostile_values_do_not_crash_the_parser():
    body = payloads.event_alert()
    event = body["data"]["event"]
    event.update(title={"nested": 1}, level=["x"], tags="garbage", web_url="javascript:alert(1)")
    [alert] = sentry.parse("event_alert", body)
    assert alert.url == ""  # only http(s) links reach Discord
    assert alert.title  # falls back to something displayable
