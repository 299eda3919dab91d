"""Faults: an outage with every failure Discord can give, and concurrent workers.

Real transactions and threads with their own database connections (transaction=True), the
background delivery thread on, and the relay's retry timings shrunk so the test takes seconds.
"""

import re
import threading
import time
from collections import Counter, defaultdict

import pytest
from django.db import connection

from paytungan.alerts import delivery, kick, outbox
from paytungan.alerts.models import Alert
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import OK, SERVER_ERROR, Reply, hang, rate_limited

pytestmark = pytest.mark.django_db(transaction=True)

ISSUES = 40
REPEATS = 24  # 40 x 24 firing alerts + 40 resolutions = 1,000 webhooks


def run_workers(n, stop):
    """`n` threads looping `deliver_alerts`-style until `stop`; returns (threads, results)."""
    results = [delivery.PassResult() for _ in range(n)]

    def work(i):
        try:
            while not stop.is_set():
                results[i] += delivery.drain()
                time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    return threads, results


def embed_facts(embed):
    fields = {f["name"]: f["value"] for f in embed.get("fields", [])}
    folded = re.match(r"x(\d+) in", fields.get("Events", ""))
    seq = re.search(r"seq=(\d+)", embed.get("description", ""))
    return {
        "issue": payloads.issue_in(embed),
        "resolved": "Resolved:" in embed["title"],
        "count": int(folded.group(1)) if folded else 1,
        "seq": int(seq.group(1)) if seq else None,
    }


def test_1000_alerts_through_a_discord_outage_are_all_delivered_in_order(
    relay, discord, post_sentry, monkeypatch
):
    relay.ALERT_DELIVER_ON_RECEIVE = True
    relay.ALERT_FOLD_WINDOW_SECONDS = 60  # the resolutions at the end release held summaries
    relay.ALERT_DISCORD_TIMEOUT_SECONDS = 0.3
    relay.ALERT_RETRY_BASE_SECONDS = 0.05
    relay.ALERT_RETRY_MAX_SECONDS = 0.3
    monkeypatch.setattr(kick, "LINGER_SECONDS", 2.0)
    failures = [SERVER_ERROR, rate_limited(0.1), hang(0.6), Reply(502), Reply(503)]
    outage: dict[str, float] = {}

    def policy(n):
        # The outage lasts 3 s from the first message Discord sees (not from the test's start:
        # on a busy machine posting the first alerts alone can take longer).
        ends = outage.setdefault("ends", time.monotonic() + 3.0)
        return failures[n % len(failures)] if time.monotonic() < ends else OK

    discord.policy = policy

    stop = threading.Event()
    threads, _ = run_workers(2, stop)
    try:
        for seq in range(REPEATS):
            for issue in range(ISSUES):
                body = payloads.event_alert(issue_id=f"i{issue}", message=f"seq={seq}")
                assert post_sentry("event_alert", body).status_code == 202
        for issue in range(ISSUES):
            body = payloads.issue("resolved", issue_id=f"i{issue}")
            assert post_sentry("issue", body).status_code == 202
        deadline = time.monotonic() + 60
        while Alert.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Alert.objects.exists(), "alerts still waiting after the outage"
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        assert kick.wait_idle(10)

    assert {"hang", 429, 500, 502, 503} <= set(discord.answered)  # the outage was varied
    assert discord.violations == []
    facts = [embed_facts(e) for e in discord.embeds()]
    fired: Counter[str] = Counter()
    resolved: Counter[str] = Counter()
    seqs = defaultdict(list)
    for fact in facts:
        issue = fact["issue"]
        assert not resolved[issue], f"{issue}: an alert was delivered after its resolution"
        if fact["resolved"]:
            resolved[issue] += 1
        else:
            fired[issue] += fact["count"]
            seqs[issue].append(fact["seq"])
    issues = {f"i{i}" for i in range(ISSUES)}
    # None lost, none sent twice: the folded counts add up exactly.
    assert fired == dict.fromkeys(issues, REPEATS)
    assert resolved == dict.fromkeys(issues, 1)
    for issue, order in seqs.items():
        assert order == sorted(set(order)), issue  # increasing: in order, no repeats
    # Folding did its job: per issue at most the first alert, one summary, the resolution.
    assert len(facts) <= 3 * ISSUES


def test_two_workers_at_once_never_send_a_row_twice(relay, discord):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    for i in range(300):
        body = payloads.event_alert(issue_id=f"w{i}")
        outbox.receive(sentry.parse("event_alert", body), kick=False)
    discord.policy = lambda n: Reply(204, delay=0.02)  # slow enough for passes to overlap
    start = threading.Barrier(3)
    results = [delivery.PassResult() for _ in range(3)]

    def work(i):
        try:
            start.wait()
            results[i] += delivery.drain(limit=20)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    sent = Counter(payloads.issue_in(e) for e in discord.embeds())
    assert len(sent) == 300
    assert max(sent.values()) == 1
    assert sum(r.alerts for r in results) == 300
    assert sum(1 for r in results if r.alerts) >= 2  # the workers really ran side by side
    assert not Alert.objects.exists()


def test_an_outage_drain_never_overruns_discords_rate_limit_bucket(relay, discord):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    relay.ALERT_RETRY_BASE_SECONDS = 0.05
    relay.ALERT_RETRY_MAX_SECONDS = 0.2
    for i in range(300):  # a few hundred alerts waited through an outage
        body = payloads.event_alert(issue_id=f"b{i}")
        outbox.receive(sentry.parse("event_alert", body), kick=False)
    # Discord's bucket, shrunk in time: 3 requests per 0.4 s (a pass holds 5 messages).
    discord.bucket(3, 0.4)
    stop = threading.Event()
    threads, _results = run_workers(2, stop)  # two workers share one webhook's bucket
    try:
        deadline = time.monotonic() + 90
        while Alert.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Alert.objects.exists()
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    assert discord.bucket_violations == 0
    assert 429 not in discord.answered
    sent = Counter(payloads.issue_in(e) for e in discord.embeds())
    assert len(sent) == 300
    assert max(sent.values()) == 1
