import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from paytungan.alerts import kick, outbox
from paytungan.alerts.management.commands.deliver_alerts import Command as DeliverAlerts
from paytungan.alerts.models import Alert
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import UNKNOWN_WEBHOOK


def fire(issue_id):
    outbox.receive(sentry.parse("event_alert", payloads.event_alert(issue_id=issue_id)))


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_deliver_alerts_once_drains_the_outbox(relay, discord):
    for i in range(3):
        fire(str(i))
    assert "delivered 3 alert(s) in 1 message(s); 0 pending" in run("deliver_alerts", "--once")
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_deliver_alerts_once_fails_while_a_dead_webhook_holds_alerts(relay, discord):
    discord.reply(UNKNOWN_WEBHOOK)
    fire("1")
    with pytest.raises(CommandError, match="dead Discord webhook"):
        run("deliver_alerts", "--once")
    assert Alert.objects.count() == 1
    assert "revived 1 webhook(s)" in run("deliver_alerts", "--once", "--revive")
    assert not Alert.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_deliver_alerts_loop_delivers_what_arrives_until_stopped(relay, discord):
    command = DeliverAlerts()
    worker = threading.Thread(
        target=call_command, args=(command,), kwargs={"poll": 0.05, "stdout": io.StringIO()}
    )
    worker.start()
    try:
        fire("1")
        deadline = time.monotonic() + 10
        while Alert.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Alert.objects.exists()
    finally:
        command.stop.set()
        worker.join(10)
    assert not worker.is_alive()


@pytest.mark.django_db
def test_alerts_test_sends_a_message_end_to_end(relay, discord):
    assert "delivered to Discord in" in run("alerts_test")
    [embed] = discord.embeds()
    assert embed["title"].startswith("Test alert ")
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_alerts_test_reports_a_dead_webhook(relay, discord):
    discord.reply(UNKNOWN_WEBHOOK)
    with pytest.raises(CommandError, match="dead"):
        run("alerts_test", "--timeout", "5")


@pytest.mark.django_db
def test_alerts_test_without_a_webhook_says_what_to_set(relay):
    relay.DISCORD_WEBHOOK_URL = ""
    with pytest.raises(CommandError, match="DISCORD_WEBHOOK_URL"):
        run("alerts_test")


@pytest.mark.django_db(transaction=True)
def test_alerts_test_via_a_running_relay(relay, discord, live_server):
    relay.ALERT_DELIVER_ON_RECEIVE = True
    try:
        assert "delivered to Discord in" in run("alerts_test", "--via", live_server.url)
    finally:
        assert kick.wait_idle(10)
    [embed] = discord.embeds()
    assert embed["title"].startswith("[test] Test alert ")
