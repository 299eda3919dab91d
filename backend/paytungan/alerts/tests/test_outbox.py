"""Folding: the same issue within the window is one message, never a flood."""

from datetime import timedelta

import pytest
from django.utils import timezone

from paytungan.alerts import outbox
from paytungan.alerts.models import Alert
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads

pytestmark = pytest.mark.django_db


def fire(issue_id="1", n=1, **kw):
    for _ in range(n):
        outbox.receive(sentry.parse("event_alert", payloads.event_alert(issue_id=issue_id, **kw)))


def resolve(issue_id="1"):
    outbox.receive(sentry.parse("issue", payloads.issue("resolved", issue_id=issue_id)))


def rows():
    return list(Alert.objects.order_by("id"))


def test_repeats_of_one_issue_fold_into_the_waiting_row(relay):
    fire(n=37)
    [row] = rows()
    assert row.count == 37
    assert row.next_attempt_at <= timezone.now()  # the first of a window goes out at once


def test_fold_keeps_the_latest_details(relay):
    fire(request_id="req-first")
    fire(request_id="req-latest", release="v2")
    [row] = rows()
    assert row.payload["request_id"] == "req-latest"
    assert row.payload["release"] == "v2"


def test_different_issues_do_not_fold(relay):
    fire("1")
    fire("2")
    assert [r.count for r in rows()] == [1, 1]


def test_after_the_first_is_sent_repeats_collect_in_a_row_held_to_the_window_end(relay):
    fire()
    Alert.objects.all().delete()  # as if delivered
    fire(n=5)
    [held] = rows()
    assert held.count == 5
    assert held.next_attempt_at > timezone.now() + timedelta(seconds=290)


def test_after_the_window_a_repeat_goes_out_at_once(relay):
    relay.ALERT_FOLD_WINDOW_SECONDS = 300
    fire()
    Alert.objects.all().delete()
    from paytungan.alerts.models import AlertIssue

    AlertIssue.objects.update(fold_until=timezone.now() - timedelta(seconds=1))
    fire()
    [row] = rows()
    assert row.next_attempt_at <= timezone.now()


def test_a_state_change_is_never_folded_and_releases_the_held_summary(relay):
    fire()
    Alert.objects.all().delete()
    fire(n=3)  # held summary
    resolve()
    held, resolved = rows()
    assert (held.count, resolved.kind) == (3, "issue.resolved")
    assert held.next_attempt_at <= timezone.now()  # released: summary, then the resolution
    assert held.id < resolved.id


def test_a_repeat_after_a_state_change_does_not_jump_over_it(relay):
    fire()
    resolve()
    fire()  # the latest row is the resolution: a new row, after it
    assert [(r.kind, r.count) for r in rows()] == [
        ("event_alert.triggered", 1),
        ("issue.resolved", 1),
        ("event_alert.triggered", 1),
    ]


def test_fold_window_zero_disables_folding(relay):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    fire(n=3)
    assert [r.count for r in rows()] == [1, 1, 1]
