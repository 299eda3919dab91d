"""A process that ends while its delivery thread sends (gunicorn's graceful stop on a deploy or a
scale-in, SIGTERM from Cloud Run): the message in flight records Discord's answer, the rows not
yet sent are handed back at once, and nothing is sent twice or waits for a lease to run out."""

import time

import pytest

from paytungan.alerts import delivery, kick, outbox
from paytungan.alerts.models import Alert
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kicker(monkeypatch):
    fresh = kick.Kicker()
    monkeypatch.setattr(kick, "_kicker", fresh)
    yield fresh
    delivery.stopping.clear()


def test_stopping_mid_pass_finishes_the_send_in_flight_and_hands_back_the_rest(
    relay, discord, kicker
):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    for i in range(50):  # five messages in one pass
        outbox.receive(
            sentry.parse("event_alert", payloads.event_alert(issue_id=f"s{i}")), kick=False
        )
    discord.policy = lambda n: Reply(204, delay=0.3)
    kick.kick_delivery()
    deadline = time.monotonic() + 20
    while discord.requests < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the second message is on the wire

    assert kick.stop_delivery(timeout=5)

    sent = len(discord.accepted)
    assert 2 <= sent < 5
    assert Alert.objects.count() == 50 - 10 * sent  # every answer was recorded
    assert not Alert.objects.exclude(claim_token="").exists()  # the rest handed back, no lease
    kick.kick_delivery()  # a process that is ending starts no new delivery
    assert kick.wait_idle(1)
    assert len(discord.accepted) == sent
