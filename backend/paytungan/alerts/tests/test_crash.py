"""kill -9 of a delivering process: only the message whose answer was lost is sent twice.

A real `manage.py deliver_alerts` process delivers the outbox to the Discord stand-in; right
after the stand-in has answered some messages, the process is killed with SIGKILL. A new process
then delivers what is left (the dead one's claimed rows once their lease runs out). Every answer
given before the kill was committed before the next send, so at most the in-flight message
(answered, but killed before its answer was committed) goes out again.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from paytungan.alerts import outbox
from paytungan.alerts.models import Alert
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import Reply

pytestmark = pytest.mark.django_db(transaction=True)

BACKEND = Path(__file__).resolve().parents[3]
ALERTS = 80  # 8 messages of 10
KILL_AFTER = 3  # answered messages


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def deliver_alerts(discord_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DISCORD_WEBHOOK_URL": discord_url,
        "DISCORD_WEBHOOK_ROUTES": "",
        "SENTRY_DSN": "",
        "ALERT_FOLD_WINDOW_SECONDS": "0",
        "ALERT_DISCORD_TIMEOUT_SECONDS": "2",
        "ALERT_CLAIM_LEASE_SECONDS": "4",
        "ALERT_RETRY_BASE_SECONDS": "0.05",
        "ALERT_RETRY_MAX_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, str(BACKEND / "manage.py"), "deliver_alerts", "--poll", "0.2"],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_kill_9_mid_delivery_resends_at_most_the_message_in_flight(relay, discord):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    for i in range(ALERTS):
        body = payloads.event_alert(issue_id=f"k{i}")
        outbox.receive(sentry.parse("event_alert", body), kick=False)
    discord.policy = lambda n: Reply(204, delay=0.05)  # a pass takes a while: die inside it

    first = deliver_alerts(discord.url)

    def kill(accepted: int) -> None:
        if accepted == KILL_AFTER:
            os.kill(first.pid, signal.SIGKILL)

    discord.on_accepted = kill
    try:
        assert first.wait(120) == -signal.SIGKILL, first.communicate()[1].decode()[-2000:]
    finally:
        discord.on_accepted = None
        if first.poll() is None:
            first.kill()
    killed_at = len(discord.accepted)
    assert killed_at >= KILL_AFTER
    assert Alert.objects.exists()  # it died with work left

    second = deliver_alerts(discord.url)
    try:
        deadline = time.monotonic() + 90
        while Alert.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Alert.objects.exists(), "the dead worker's rows were never sent"
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    messages = [[payloads.issue_in(e) for e in a.body["embeds"]] for a in discord.accepted]
    sent = Counter(issue for message in messages for issue in message)
    assert set(sent) == {f"k{i}" for i in range(ALERTS)}  # none lost
    assert max(sent.values()) <= 2
    seen: set[str] = set()
    resent = []
    for message in messages:
        if seen & set(message):
            resent.append(message)
        seen |= set(message)
    assert len(resent) <= 1, f"{len(resent)} messages sent again after the kill"
    assert sum(n - 1 for n in sent.values()) <= 10  # at most one message's alerts
