"""The caller cache: safe requests answered without the caller query, and never after a change
that another connection committed (revocation, removal, rename) once its notice has arrived."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paytungan.accounts.caller_cache import MAX_ENTRIES, CallerCache
from paytungan.accounts.tokens import token_create
from paytungan.common.db_changes import STALE_AFTER_SECONDS, ChangeListener
from paytungan.common.testing import make_user, wait_until
from paytungan.groups.models import Group, Member


class FakeListener(ChangeListener):
    """Notices delivered by the test; no thread, no database (the base's state is unused)."""

    def __init__(self) -> None:  # no super().__init__: nothing of the real listener runs
        self.subscribers: list[Callable[[str], None]] = []
        self.gen = 0
        self.up = True

    def subscribe(self, subscriber: Callable[[str], None]) -> None:
        self.subscribers.append(subscriber)

    def healthy(self) -> bool:
        return self.up

    def generation(self) -> int:
        return self.gen

    def notice(self, payload: str) -> None:
        self.gen += 1
        for s in self.subscribers:
            s(payload)


@pytest.fixture
def fake(caller_cache_on: None) -> tuple[CallerCache, FakeListener, list[float]]:
    now = [1000.0]
    lst = FakeListener()
    return CallerCache(listener=lst, clock=lambda: now[0]), lst, now


# --- the cache itself, on a fake listener and clock ----------------------------------------------


def test_an_entry_lives_at_most_the_ttl(fake):
    cache, lst, now = fake
    cache.put("k", (1,), user_id=1, group_id=None, generation=lst.gen)
    assert cache.get("k") == (1,)
    now[0] += 9.9
    assert cache.get("k") == (1,)
    now[0] += 0.2
    assert cache.get("k") is None


def test_a_derived_value_is_built_once_per_entry_and_goes_with_it(fake):
    cache, lst, now = fake
    built: list[tuple[Any, ...]] = []

    def build(row: tuple[Any, ...]) -> object:
        built.append(row)
        return object()

    assert cache.derived("k", build) is None  # no entry: nothing built
    cache.put("k", (1,), user_id=1, group_id=10, generation=lst.gen)
    first = cache.derived("k", build)
    assert first is not None
    assert cache.derived("k", build) is first
    assert built == [(1,)]
    lst.notice("g10")
    assert cache.derived("k", build) is None
    cache.put("k", (2,), user_id=1, group_id=10, generation=lst.gen)
    assert cache.derived("k", build) is not first
    assert built == [(1,), (2,)]
    now[0] += 10.1
    assert cache.derived("k", build) is None


def test_a_change_to_the_user_or_the_group_drops_exactly_their_entries(fake):
    cache, lst, _ = fake
    cache.put("a", (1,), user_id=1, group_id=10, generation=lst.gen)
    cache.put("b", (2,), user_id=2, group_id=10, generation=lst.gen)
    cache.put("c", (3,), user_id=2, group_id=None, generation=lst.gen)
    cache.put("d", (4,), user_id=3, group_id=11, generation=lst.gen)
    lst.notice("g10")
    assert [cache.get(k) for k in "abcd"] == [None, None, (3,), (4,)]
    lst.notice("u2")
    assert [cache.get(k) for k in "cd"] == [None, (4,)]
    lst.notice("*")
    assert len(cache) == 0


def test_a_row_read_before_a_change_notice_is_not_kept(fake):
    cache, lst, _ = fake
    before = cache.generation()
    lst.notice("g99")  # arrived while the query ran: the row may predate it
    cache.put("k", (1,), user_id=1, group_id=None, generation=before)
    assert cache.get("k") is None


def test_a_full_cache_starts_over_instead_of_growing(fake):
    cache, lst, _ = fake
    for i in range(MAX_ENTRIES):
        cache.put(("k", i), (i,), user_id=i, group_id=None, generation=lst.gen)
    cache.put("one more", (0,), user_id=0, group_id=None, generation=lst.gen)
    assert len(cache) == 1


def test_off_when_the_listener_is_not_known_to_hear_notices(fake, settings):
    cache, lst, _ = fake
    assert cache.enabled()
    lst.up = False
    assert not cache.enabled()
    lst.up = True
    settings.CALLER_CACHE_SECONDS = 0
    assert not cache.enabled()


def test_the_listener_is_healthy_only_while_its_heartbeats_come_back():
    now = [50.0]
    lst = ChangeListener(clock=lambda: now[0])
    lst._pid = __import__("os").getpid()  # as if started: no thread in this unit test
    assert not lst.healthy()
    lst.deliver("h")
    assert lst.healthy()
    now[0] += STALE_AFTER_SECONDS
    assert not lst.healthy()
    seen: list[str] = []
    lst.subscribe(seen.append)
    gen = lst.generation()
    lst.deliver("u5")
    assert (seen, lst.generation()) == (["u5"], gen + 1)


# --- through the API, with the real listener and committed changes -------------------------------

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL notices")


def _get(client: Any, path: str, secret: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
    return response.status_code, len(queries)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_repeated_read_skips_the_caller_query_and_a_revoked_token_fails_at_once(
    caller_cache_live, client
):
    user = make_user()
    token, secret = token_create(user=user, name="cli")
    assert _get(client, "/api/groups", secret) == (200, 3)  # caller, its last use, the list
    # Once the notice of that last-use write is in, the caller comes from the cache.
    assert wait_until(lambda: _get(client, "/api/groups", secret) == (200, 1), 2.0)
    token.delete()  # committed: its notice reaches the listener
    assert wait_until(lambda: _get(client, "/api/groups", secret)[0] == 401, 2.0)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_removed_member_gets_404_and_a_rename_is_seen(caller_cache_live, client):
    user = make_user()
    _, secret = token_create(user=user, name="cli")
    group = Group.objects.create(name="Trip", currency="IDR")
    member = Member.objects.create(group=group, user=user, name=user.name)
    path = f"/api/groups/{group.pk}"
    assert _get(client, path, secret)[0] == 200
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").json()["name"] == "Trip"
    Group.objects.filter(pk=group.pk).update(name="Bali")
    assert wait_until(
        lambda: client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").json()["name"] == "Bali"
    )
    Member.objects.filter(pk=member.pk).update(is_active=False)
    assert wait_until(lambda: _get(client, path, secret)[0] == 404, 2.0)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_writes_never_use_the_cache(caller_cache_live, client):
    user = make_user()
    _, secret = token_create(user=user, name="cli")
    assert _get(client, "/api/groups", secret)[0] == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/groups",
            {"name": "New", "currency": "IDR"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 201
    assert any('"accounts_accesstoken"' in q["sql"] for q in queries.captured_queries)
