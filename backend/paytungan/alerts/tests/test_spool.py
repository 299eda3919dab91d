"""A webhook that the database cannot store in time is accepted anyway, never dropped.

Sentry drops every non-2xx answer to an internal integration, so a slow or absent database
must not turn into a 503: the verified alerts are spooled to disk and reach the outbox (and
Discord) once the database answers. Real transactions: a second connection holds the lock the
insert waits for, so the insert hits the real statement timeout.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from paytungan.alerts import delivery, kick, outbox, spool
from paytungan.alerts.models import Alert, AlertIssue
from paytungan.alerts.tests import payloads

pytestmark = pytest.mark.django_db(transaction=True)

ISSUE_KEY = "sentry:front-end:1117540176"  # payloads.event_alert()'s issue


def hold_issue_lock(locked: threading.Event, release: threading.Event) -> threading.Thread:
    def hold():
        try:
            with transaction.atomic():
                AlertIssue.objects.select_for_update().get_or_create(key=ISSUE_KEY)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert locked.wait(10)
    return thread


def test_a_statement_timeout_spools_the_alert_and_answers_202(relay, post_sentry, monkeypatch):
    monkeypatch.setattr(outbox, "STATEMENT_TIMEOUT_MS", 200)
    # Warm up: the first request of a process imports every URLconf (seconds on a busy machine).
    assert post_sentry("installation", {"action": "created", "data": {}}).status_code == 200
    locked, release = threading.Event(), threading.Event()
    holder = hold_issue_lock(locked, release)
    try:
        started = time.monotonic()
        response = post_sentry("event_alert", payloads.event_alert(request_id="req-slow-db"))
        answered_in = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)
    assert response.status_code == 202
    assert response.json() == {"stored": 0, "spooled": 1}
    assert answered_in < 1.0  # within Sentry's webhook timeout
    assert Alert.objects.count() == 0
    assert len(spool.pending()) == 1

    assert spool.ingest() == 1  # the database answers again
    assert spool.pending() == []
    [row] = Alert.objects.all()
    assert row.payload["request_id"] == "req-slow-db"
    assert delivery.drain().alerts == 1


def test_the_delivery_thread_stores_spooled_alerts_and_delivers_them(
    relay, post_sentry, discord, monkeypatch
):
    relay.ALERT_DELIVER_ON_RECEIVE = True
    monkeypatch.setattr(outbox, "STATEMENT_TIMEOUT_MS", 200)
    monkeypatch.setattr(spool, "RETRY_SECONDS", 0.2)
    locked, release = threading.Event(), threading.Event()
    holder = hold_issue_lock(locked, release)
    try:
        assert post_sentry("event_alert", payloads.event_alert()).status_code == 202
    finally:
        release.set()
        holder.join(10)
    try:
        deadline = time.monotonic() + 20
        while not discord.embeds() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        assert kick.wait_idle(20)
    assert len(discord.embeds()) == 1
    assert spool.pending() == []
    assert not Alert.objects.exists()


def test_a_spooled_body_replayed_after_it_was_stored_is_stored_once(relay):
    alert = payloads_alert()
    spool.write([alert], digest="d" * 64, resource="event_alert")
    spool.write([alert], digest="d" * 64, resource="event_alert")  # same body again
    assert spool.ingest() == 1
    spool.write([alert], digest="d" * 64, resource="event_alert")
    spool.ingest()
    assert Alert.objects.count() == 1


def test_a_spool_file_that_cannot_be_stored_is_kept_aside(relay, tmp_path):
    spool.write([payloads_alert()], digest="e" * 64, resource="event_alert")
    [path] = spool.pending()
    path.write_text("{not json")
    assert spool.ingest() == 0
    assert spool.pending() == []
    assert path.with_name(path.name + spool.FAILED).exists()


def payloads_alert():
    from paytungan.alerts.parsers import sentry

    [alert] = sentry.parse("event_alert", payloads.event_alert())
    return alert


@pytest.fixture(autouse=True)
def _close_thread_connections():
    yield
    for alias in connections:
        connections[alias].close()
