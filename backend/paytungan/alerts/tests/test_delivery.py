"""Delivery against the Discord stand-in: every answer Discord gives.

Time is the injected clock (conftest.FakeClock): retry pauses and bucket waits pass when the
test says so, never by real sleeps that a loaded machine stretches.
"""

import logging
import time
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from paytungan.alerts import delivery, outbox
from paytungan.alerts.config import fingerprint
from paytungan.alerts.models import Alert, WebhookState
from paytungan.alerts.parsers import sentry
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import (
    INVALID_TOKEN,
    OK,
    SERVER_ERROR,
    UNKNOWN_WEBHOOK,
    Reply,
    hang,
    rate_limited,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_time(clock):
    return clock


def fire(issue_id="1", n=1, **kw):
    for _ in range(n):
        outbox.receive(sentry.parse("event_alert", payloads.event_alert(issue_id=issue_id, **kw)))


def state(discord):
    return WebhookState.objects.get(fingerprint=fingerprint(discord.url))


def default_webhook():
    hook = delivery.webhook_for("")
    assert hook is not None
    return hook


def wait_until_due():
    due = delivery.next_due_in()
    assert due is not None
    delivery.clock.sleep(due + 0.01)  # the fake clock's: time passes, nothing waits


def test_204_delivers_and_deletes(relay, discord):
    fire()
    result = delivery.drain()
    assert (result.alerts, result.delivered) == (1, 1)
    assert Alert.objects.count() == 0
    [embed] = discord.embeds()
    assert embed["title"].startswith("[front-end] ReferenceError")
    assert discord.violations == []


def test_a_message_discord_did_not_save_is_sent_again(relay, discord):
    # Without ?wait=true Discord answers 204 before saving, and a message that then fails to
    # save returns no error: the relay would delete an alert nobody ever saw.
    discord.unsaved(1)
    fire()
    delivery.drain()
    wait_until_due()
    delivery.drain()
    assert discord.lost == []
    assert all("wait=true" in path.partition("?")[2].split("&") for path in discord.paths)
    [embed] = discord.embeds()
    assert embed["title"].startswith("[front-end] ReferenceError")
    assert Alert.objects.count() == 0


def test_a_burst_of_different_issues_is_batched_ten_embeds_a_message(relay, discord):
    for i in range(25):
        fire(str(i))
    delivery.drain()
    assert [len(a.body["embeds"]) for a in discord.accepted] == [10, 10, 5]
    assert Alert.objects.count() == 0


def test_a_flood_of_one_issue_is_one_counted_message(relay, discord):
    fire(n=37)
    delivery.drain()
    [embed] = discord.embeds()
    events = next(f["value"] for f in embed["fields"] if f["name"] == "Events")
    assert events.startswith("x37 in ")


def test_huge_alerts_never_earn_a_400(relay, discord):
    for i in range(12):
        fire(str(i), title="T" * 5000, message="M" * 50_000, request_id="r" * 3000)
    delivery.drain()
    assert discord.violations == []
    assert len(discord.embeds()) == 12
    assert Alert.objects.count() == 0


def test_429_waits_for_retry_after_from_the_json_body(relay, discord):
    discord.reply(rate_limited(0.3, header=False))
    fire()
    delivery.drain()
    assert Alert.objects.get().attempts == 1
    assert state(discord).paused_until > timezone.now() + timedelta(seconds=0.2)
    delivery.drain()
    assert discord.requests == 1  # nothing sent while paused
    wait_until_due()
    delivery.drain()
    assert Alert.objects.count() == 0
    assert discord.answered == [429, 200]


def test_429_with_only_a_retry_after_header(relay, discord):
    discord.reply(rate_limited(1, body=False))
    fire()
    delivery.drain()
    assert state(discord).paused_until > timezone.now() + timedelta(seconds=0.8)


def empty_bucket(reset_after):
    return Reply(
        204, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(reset_after)}
    )


def test_an_empty_bucket_is_waited_for_within_the_pass(relay, discord, clock):
    discord.reply(empty_bucket(1.5))
    for i in range(25):  # three messages in one pass
        fire(str(i))
    result = delivery.deliver_due()
    assert (result.attempted, result.alerts) == (3, 25)
    assert discord.answered == [200, 200, 200]
    assert sum(clock.slept) >= 1.5  # the wait came before the second send, not after a 429


def test_an_empty_bucket_is_shared_by_the_next_pass(relay, discord, clock):
    discord.reply(empty_bucket(2))
    fire("1")
    delivery.drain()
    fire("2")
    delivery.drain()
    assert discord.requests == 2
    assert sum(clock.slept) >= 2


def test_a_webhook_has_one_message_in_flight_across_workers(relay, discord, clock):
    relay.ALERT_CLAIM_LEASE_SECONDS = 30  # a send's lease outlasts the longest wait in a pass
    hook = default_webhook()
    assert delivery._take_slot(hook, "worker-a")  # A's message is in flight
    # B waits in short steps while A's send lasts, and gives up on a send that hangs.
    assert not delivery._take_slot(hook, "worker-b")
    assert set(clock.slept) == {delivery.SEND_POLL}
    assert delivery.MAX_BUCKET_WAIT <= sum(clock.slept) < delivery.MAX_BUCKET_WAIT + 0.1
    # A's answer ends its send; B goes next without waiting.
    fire("1")
    delivery.deliver_due()  # a pass of its own sends once the lease is free again
    assert discord.requests == 0  # ... not yet: A still holds it
    delivery._end_send(hook, "worker-a")
    clock.slept.clear()
    assert delivery._take_slot(hook, "worker-b")
    assert clock.slept == []


def test_a_worker_that_dies_mid_send_frees_the_webhook_when_its_lease_ends(relay, clock):
    hook = default_webhook()
    assert delivery._take_slot(hook, "dead-worker")
    clock.advance(delivery.lease_seconds() + 1)
    clock.slept.clear()
    assert delivery._take_slot(hook, "next-worker")
    assert clock.slept == []


def test_a_webhook_sends_at_most_30_messages_in_any_minute(relay, clock):
    # Discord limits webhooks to 30 messages a minute per channel, a limit no header announces:
    # the 31st send within 60 s would be a 429 (scope "shared").
    hook = default_webhook()
    first = clock.now()
    for i in range(30):
        assert delivery._take_slot(hook, f"send-{i}")
        delivery._end_send(hook, f"send-{i}")
        clock.advance(1)
    assert not delivery._take_slot(hook, "send-30")  # waiting 30 s is the next pass's job
    paused_until = WebhookState.objects.get(fingerprint=hook.fingerprint).paused_until
    window = delivery.CHANNEL_WINDOW + delivery.BUCKET_MARGIN
    assert paused_until == first + timedelta(seconds=window)
    clock.current = paused_until
    assert delivery._take_slot(hook, "send-30")  # the first send left the window
    delivery._end_send(hook, "send-30")
    clock.slept.clear()
    assert delivery._take_slot(hook, "send-31")  # ... and only it: the next waits for the second
    assert sum(clock.slept) == pytest.approx(1.0)  # from the pause's end: margin included


def test_a_bucket_refilling_late_pauses_the_webhook(relay, discord, clock):
    discord.reply(empty_bucket(60))
    fire("1")
    delivery.drain()
    fire("2")
    delivery.drain()
    assert discord.requests == 1
    assert Alert.objects.get().claim_token == ""  # released, not held by a claim
    due = delivery.next_due_in()
    assert due is not None
    assert 59 < due <= 61
    clock.advance(61)
    delivery.drain()
    assert Alert.objects.count() == 0


def test_5xx_is_retried_with_backoff_and_nothing_is_lost(relay, discord):
    discord.reply(SERVER_ERROR, SERVER_ERROR)
    fire()
    delivery.drain()
    assert state(discord).failures == 1
    wait_until_due()
    delivery.drain()
    assert state(discord).failures == 2
    wait_until_due()
    delivery.drain()
    assert discord.answered == [500, 500, 200]
    assert Alert.objects.count() == 0
    assert state(discord).failures == 0


def test_backoff_doubles_is_capped_and_jittered(relay):
    relay.ALERT_RETRY_BASE_SECONDS = 2.0
    relay.ALERT_RETRY_MAX_SECONDS = 300.0
    for failures, top in [(1, 2), (2, 4), (5, 32), (20, 300)]:
        waits = {delivery.backoff(failures) for _ in range(50)}
        assert all(top / 2 <= w <= top for w in waits)
        assert len(waits) > 1


def test_a_hanging_discord_times_out_and_is_retried(relay, discord):
    relay.ALERT_DISCORD_TIMEOUT_SECONDS = 0.3
    # The one real wait here is the socket timeout: a hang far longer than the bound leaves a
    # loaded machine seconds of slack, and still tells "timed out" from "waited for Discord".
    discord.reply(hang(10.0))
    fire()
    started = time.monotonic()
    delivery.drain()
    assert time.monotonic() - started < 5.0
    row = Alert.objects.get()
    assert row.attempts == 1
    assert "timed out" in row.last_error or "no answer" in row.last_error
    wait_until_due()
    delivery.drain()
    assert Alert.objects.count() == 0


@pytest.mark.parametrize("reply", [UNKNOWN_WEBHOOK, INVALID_TOKEN])
def test_404_or_401_marks_the_webhook_dead_and_keeps_the_alerts(relay, discord, caplog, reply):
    discord.reply(reply)
    fire("1")
    fire("2")
    with caplog.at_level(logging.ERROR, logger="paytungan.alerts"):
        delivery.drain()
    assert state(discord).dead_since is not None
    assert any("dead" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    assert Alert.objects.count() == 2
    delivery.drain()
    assert discord.requests == 1  # a dead webhook is not hammered
    assert delivery.next_due_in() is None


def test_replacing_a_dead_url_delivers_the_kept_alerts(relay, discord):
    discord.reply(UNKNOWN_WEBHOOK)
    fire()
    delivery.drain()
    relay.DISCORD_WEBHOOK_URL = discord.url.replace("stub-token", "new-token")
    delivery.drain()
    assert Alert.objects.count() == 0


def test_revive_clears_the_dead_mark(relay, discord):
    discord.reply(UNKNOWN_WEBHOOK)
    fire()
    delivery.drain()
    assert delivery.revive() == 1
    delivery.drain()
    assert Alert.objects.count() == 0


def test_a_refused_message_falls_back_to_a_plain_embed(relay, discord):
    discord.reply(Reply(400, {"message": "Invalid Form Body", "code": 50035}))
    fire()
    delivery.drain()
    assert Alert.objects.count() == 0
    first, second = discord.answered
    assert (first, second) == (400, 200)
    [embed] = discord.embeds()
    assert "fields" not in embed


def test_a_row_waits_while_an_older_row_of_its_issue_is_elsewhere(relay):
    relay.ALERT_FOLD_WINDOW_SECONDS = 0
    fire("1")
    fire("2")
    outbox.receive(sentry.parse("issue", payloads.issue("resolved", issue_id="1")))
    first, other, resolved = Alert.objects.order_by("id")
    # `first` is not in this batch (another worker is sending it, or it waits for a retry).
    assert delivery._in_issue_order([other, resolved]) == [other]
    assert delivery._in_issue_order([first, other, resolved]) == [first, other, resolved]


def test_routes_send_a_project_to_its_own_channel(relay, discord):
    other = discord.url.replace("stub-token", "backend-channel")
    relay.DISCORD_WEBHOOK_ROUTES = {"backend": other}
    fire("1", project="front-end")
    fire("2", project="backend")
    assert sorted(Alert.objects.values_list("route", flat=True)) == ["", "backend"]
    delivery.drain()
    assert discord.requests == 2  # one message per webhook


def test_nothing_configured_keeps_alerts_waiting(relay, discord):
    relay.DISCORD_WEBHOOK_URL = ""
    fire()
    assert delivery.drain().attempted == 0
    assert Alert.objects.count() == 1


def test_ok_answer_is_the_only_delete(relay, discord):
    discord.reply(SERVER_ERROR, rate_limited(0.05), hang(0.8), UNKNOWN_WEBHOOK)
    relay.ALERT_DISCORD_TIMEOUT_SECONDS = 0.3
    fire()
    for _ in range(4):
        delivery.revive()
        WebhookState.objects.update(paused_until=None)
        Alert.objects.update(next_attempt_at=delivery.clock.now())
        delivery.drain()
        assert Alert.objects.count() == 1
    delivery.revive()
    discord.reply(OK)
    delivery.drain()
    assert Alert.objects.count() == 0


def test_rows_claimed_by_a_worker_that_died_are_sent_after_its_lease(relay, discord, clock):
    fire("1")
    # A worker claims the row, then dies before sending (or before Discord's answer came).
    delivery._claim(Q(), clock.now(), 50, "a-dead-worker")
    assert delivery.drain().attempted == 0  # its lease holds: nobody else sends the row
    assert delivery.next_due_in() == pytest.approx(relay.ALERT_CLAIM_LEASE_SECONDS, abs=1)
    clock.advance(relay.ALERT_CLAIM_LEASE_SECONDS + 0.1)
    assert delivery.drain().alerts == 1
    assert len(discord.embeds()) == 1
    assert Alert.objects.count() == 0


def test_an_answer_for_rows_another_worker_took_over_changes_nothing(relay, discord, clock):
    fire("1")
    [row] = delivery._claim(Q(), clock.now(), 50, "slow-worker")
    clock.advance(relay.ALERT_CLAIM_LEASE_SECONDS + 0.1)
    delivery._claim(Q(), clock.now(), 50, "next-worker")
    hook = default_webhook()
    assert delivery._renew([row], "slow-worker") == []
    delivery._record(hook, [row], delivery.discord.DiscordResponse(status=204), "slow-worker")
    assert Alert.objects.get().claim_token == "next-worker"  # not deleted under its owner
