"""Usage analytics: counted in memory without a query, written in additive batches, reported."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from paytungan.common.testing import make_user
from paytungan.ops.usage import report, store
from paytungan.ops.usage.models import UsageDay, UsageUser
from paytungan.ops.usage.recorder import MAX_REQUEST_BYTES, Aggregator, Clock, Recorder, recorder


@pytest.fixture(autouse=True)
def _empty_recorder():
    recorder.pending.drain()  # whatever earlier tests left in this process's memory
    yield
    recorder.pending.drain()


def row(route: str, day: date | None = None) -> UsageDay:
    return UsageDay.objects.get(day=day or timezone.localdate(), route=route)


def test_after_n_requests_and_a_flush_the_daily_table_says_n(user_client, user):
    for _ in range(9):
        assert user_client.get("/api/me").status == 200
    body = {"name": "Kos"}
    assert user_client.patch("/api/me", body).status == 200

    written = recorder.flush()

    assert written == 11  # 9 GETs, the PATCH, and the CSRF token fetch before it
    assert row("GET /api/auth/csrf").requests == 1
    got = row("GET /api/me")
    assert got.requests == 9
    assert got.errors == 0
    assert got.bytes_out > 9 * 50  # a /api/me body is well over 50 bytes
    assert row("PATCH /api/me").bytes_in == len('{"name": "Kos"}')
    assert list(UsageUser.objects.values_list("user_id", flat=True)) == [user.pk]


def test_the_global_recorder_writes_nothing_by_itself_under_tests(user_client):
    user_client.get("/api/me")
    assert recorder._thread_pid is None
    assert not UsageDay.objects.exists()


def test_counting_a_request_runs_no_query(db, queries):
    with queries() as captured:
        for _ in range(100):
            recorder.record(
                day=timezone.localdate(), route="GET /x", status=200,
                bytes_in=0, bytes_out=10, user_id=1,
            )  # fmt: skip
    assert captured.count == 0


def test_flushes_add_up_and_users_are_counted_once_per_day(db):
    today = timezone.localdate()
    for uid in (1, 2, 2, 3):
        recorder.record(
            day=today, route="GET /a", status=200, bytes_in=1, bytes_out=2, user_id=uid,
        )  # fmt: skip
    recorder.flush()
    for uid in (3, 4):
        recorder.record(
            day=today, route="GET /a", status=503, bytes_in=1, bytes_out=2, user_id=uid,
        )  # fmt: skip
    recorder.flush()

    got = row("GET /a")
    assert (got.requests, got.errors, got.bytes_in, got.bytes_out) == (6, 2, 6, 12)
    assert report.usage_days(days=1)[0].active_users == 4


def test_a_failed_write_keeps_the_counts_for_the_next_flush(db, monkeypatch):
    today = timezone.localdate()
    recorder.record(day=today, route="GET /b", status=200, bytes_in=0, bytes_out=5, user_id=None)
    real_write = store.write

    def broken(batch):
        raise RuntimeError("database away")

    monkeypatch.setattr(store, "write", broken)
    with pytest.raises(RuntimeError):
        recorder.flush()
    monkeypatch.setattr(store, "write", real_write)
    recorder.record(day=today, route="GET /b", status=200, bytes_in=0, bytes_out=5, user_id=None)

    assert recorder.flush() == 2
    assert row("GET /b").requests == 2


def test_concurrent_threads_lose_no_count():
    agg = Aggregator()

    def hammer() -> None:
        for _ in range(2000):
            agg.add(day=date(2026, 1, 1), route="GET /c", error=False, bytes_in=0, bytes_out=1,
                    user_id=None)  # fmt: skip

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    batch = agg.drain()
    assert batch.requests == 16000
    assert batch.routes[(date(2026, 1, 1), "GET /c")] == [16000, 0, 0, 16000]


def test_a_serving_process_flushes_in_the_background_after_n_requests(settings, monkeypatch):
    settings.USAGE_FLUSH_REQUESTS = 5
    written: list[int] = []
    done = threading.Event()

    def fake_write(batch):
        written.append(batch.requests)
        done.set()

    monkeypatch.setattr(store, "write", fake_write)
    mine = Recorder(background=True)  # the global recorder never starts its thread in tests
    for _ in range(5):
        mine.record(day=date(2026, 1, 1), route="GET /d", status=200, bytes_in=0, bytes_out=1,
                    user_id=None)  # fmt: skip

    assert done.wait(5)
    assert written == [5]


def test_report_command_and_top_routes(db):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    UsageDay.objects.create(day=yesterday, route="GET /api/groups", requests=30, bytes_out=3000)
    UsageDay.objects.create(day=today, route="GET /api/groups", requests=50, bytes_out=5000)
    UsageDay.objects.create(day=today, route="POST /api/groups/{gid}/bills", requests=20, errors=1)
    UsageUser.objects.bulk_create([UsageUser(day=today, user_id=i) for i in range(7)])

    top = report.top_routes(days=2)
    assert [(r.route, r.requests) for r in top] == [
        ("GET /api/groups", 80),
        ("POST /api/groups/{gid}/bills", 20),
    ]
    assert top[0].share == pytest.approx(0.8)

    out = StringIO()
    call_command("usage_report", "--days", "2", stdout=out)
    text = out.getvalue()
    assert f"{today.isoformat()}" in text
    assert "GET /api/groups" in text
    today_line = next(line for line in text.splitlines() if line.startswith(today.isoformat()))
    assert today_line.split()[1] == "70"  # requests
    assert today_line.split()[-1] == "7"  # active users


def test_admin_page_shows_the_charts(make_client, settings):
    # Production settings want collectstatic's manifest; a fresh checkout has none.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    admin = make_user(is_staff=True, is_superuser=True)
    UsageDay.objects.create(day=timezone.localdate(), route="GET /api/<x>", requests=5)
    client = make_client(admin)

    response = client.client.get("/admin/usage/usageday/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 3  # our three charts (the admin has icon SVGs)
    assert "Requests per day" in html
    assert "GET /api/&lt;x&gt;" in html  # escaped, never raw


# --- a poisoned batch, failures and back-off ----------------------------------------------------


def test_a_request_claiming_an_absurd_content_length_cannot_poison_the_flush(user_client):
    # Content-Length is whatever the client says; 2**63 is one past bigint's range.
    r = user_client.client.get("/api/me", CONTENT_LENGTH=str(2**63))
    assert r.status_code == 413  # refused, but counted like every request

    assert recorder.flush() == 1
    [counted] = UsageDay.objects.all()
    assert counted.bytes_in == MAX_REQUEST_BYTES
    assert user_client.get("/api/me").status == 200
    assert recorder.flush() == 1  # the next flush is not stuck behind it
    assert row("GET /api/me").requests >= 1


def test_rows_the_database_refuses_are_dropped_with_one_warning_and_the_rest_kept(db, caplog):
    today = timezone.localdate()
    # A day's total near bigint's limit: adding to it fails in PostgreSQL ("bigint out of range").
    UsageDay.objects.create(day=today, route="GET /full", requests=1, bytes_out=2**63 - 10)
    recorder.record(day=today, route="GET /full", status=200, bytes_in=0, bytes_out=100,
                    user_id=7)  # fmt: skip
    recorder.record(day=today, route="GET /fine", status=200, bytes_in=0, bytes_out=100,
                    user_id=7)  # fmt: skip

    with caplog.at_level("WARNING", logger="paytungan.usage"):
        assert recorder.flush() == 2
    warnings = [r for r in caplog.records if r.name == "paytungan.usage"]
    assert len(warnings) == 1
    assert "GET /full" in warnings[0].getMessage()
    assert row("GET /full").requests == 1  # untouched, not half-written
    assert row("GET /fine").requests == 1
    assert list(UsageUser.objects.values_list("user_id", flat=True)) == [7]

    caplog.clear()
    assert recorder.flush() == 0  # dropped, not put back: nothing retries it for ever
    assert not recorder.pending.drain()
    assert not caplog.records


def test_a_batch_put_back_does_not_count_towards_waking_the_thread():
    agg = Aggregator()
    for _ in range(5):
        agg.add(day=date(2026, 1, 1), route="GET /e", error=False, bytes_in=0, bytes_out=1,
                user_id=None)  # fmt: skip
    agg.restore(agg.drain())  # a failed flush

    waiting = agg.add(day=date(2026, 1, 1), route="GET /e", error=False, bytes_in=0,
                      bytes_out=1, user_id=None)  # fmt: skip
    assert waiting == 1
    assert agg.drain().requests == 6  # the counts themselves are all kept


class StillClock(Clock):
    """Monotonic time that moves only when the test moves it; a sleep is noted, not waited."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_a_failing_flush_backs_off_instead_of_running_on_every_request(settings, monkeypatch):
    settings.USAGE_FLUSH_REQUESTS = 1
    attempts: list[int] = []

    def down(batch):
        attempts.append(batch.requests)
        raise RuntimeError("database away")

    monkeypatch.setattr(store, "write", down)
    clock = StillClock()
    mine = Recorder(background=True, clock=clock)
    # The test plays the flush thread, one wake at a time, on its own clock: nothing here
    # depends on how fast a loaded machine runs.
    monkeypatch.setattr(mine, "_ensure_thread", lambda: None)

    def request() -> None:
        mine.record(day=date(2026, 1, 1), route="GET /f", status=200, bytes_in=0, bytes_out=1,
                    user_id=None)  # fmt: skip

    request()
    assert mine._wake.is_set()  # above the wake threshold
    mine._flush_or_back_off()
    assert (attempts, clock.slept) == ([1], [2.0])
    for _ in range(200):  # 1 s of traffic during the 2 s pause, each request above the threshold
        request()
        clock.now += 0.005
    assert not mine._wake.is_set()  # the pause is not cut short
    clock.now = 1002.0  # 2 s after the failure
    request()
    assert mine._wake.is_set()  # the pause is over
    mine._flush_or_back_off()
    assert attempts == [1, 202]  # one more attempt, with every count kept
    assert clock.slept == [2.0, 4.0]  # and the next pause is longer


def test_back_off_doubles_and_is_capped(settings):
    settings.USAGE_FLUSH_SECONDS = 60
    mine = Recorder(background=False)
    pauses = []
    for failures in (1, 2, 3, 10, 50):
        mine._failures = failures
        pauses.append(mine.backoff_seconds())
    assert pauses == [2, 4, 8, 300, 300]
