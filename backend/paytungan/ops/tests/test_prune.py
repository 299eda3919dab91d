from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from paytungan.accounts.models import ThrottleCounter, User
from paytungan.groups.models import Invite
from paytungan.groups.testing import make_group
from paytungan.ops.models import IdempotencyKey


def _key(user: User, key: str, age: timedelta) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        user=user,
        key=key,
        fingerprint="0" * 64,
        status=201,
        response={},
        created_at=timezone.now() - age,
    )


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    assert store.session_key is not None
    return store.session_key


def _prune() -> str:
    out = io.StringIO()
    call_command("prune", stdout=out)
    return out.getvalue()


def test_prune_removes_idempotency_keys_older_than_a_day(user: User) -> None:
    old = _key(user, "old", timedelta(hours=25))
    fresh = _key(user, "fresh", timedelta(hours=23))
    output = _prune()
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()
    assert IdempotencyKey.objects.filter(pk=fresh.pk).exists()
    assert "idempotency_keys: 1 deleted" in output


def test_prune_removes_expired_sessions_only(db: None) -> None:
    expired = _session(timedelta(seconds=-1))
    live = _session(timedelta(days=1))
    output = _prune()
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
    assert "sessions: 1 deleted" in output


def test_prune_removes_expired_invites_and_keeps_open_ones(user: User) -> None:
    group, _ = make_group(owner=user)
    now = timezone.now()
    expired = Invite.objects.create(group=group, code="expired", expires_at=now - timedelta(days=1))
    open_ = Invite.objects.create(group=group, code="open", expires_at=now + timedelta(days=1))
    forever = Invite.objects.create(group=group, code="forever", expires_at=None)
    output = _prune()
    assert list(Invite.objects.order_by("pk").values_list("pk", flat=True)) == [
        open_.pk,
        forever.pk,
    ]
    assert not Invite.objects.filter(pk=expired.pk).exists()
    assert "invites: 1 deleted" in output


def test_prune_removes_expired_throttle_counters(db: None) -> None:
    now = int(timezone.now().timestamp())
    ThrottleCounter.objects.create(key="a", window_start=now - 120, count=3, expires_at=now - 60)
    ThrottleCounter.objects.create(key="b", window_start=now, count=1, expires_at=now + 60)
    assert "throttle_counters: 1 deleted" in _prune()
    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["b"]


def test_prune_with_nothing_to_do_deletes_nothing(db: None) -> None:
    lines = _prune().splitlines()
    assert lines
    assert all(line.endswith(": 0 deleted") for line in lines)


def test_prune_keeps_route_usage_a_year_and_active_users_ninety_days(db: None) -> None:
    from paytungan.ops.usage.models import UsageDay, UsageUser

    today = timezone.localdate()
    for age in (10, 100, 401):
        day = today - timedelta(days=age)
        UsageDay.objects.create(day=day, route="GET /api/groups")
        UsageUser.objects.create(day=day, user_id=1)
    output = _prune()
    assert sorted((today - d).days for d in UsageDay.objects.values_list("day", flat=True)) == [
        10,
        100,
    ]
    assert [(today - d).days for d in UsageUser.objects.values_list("day", flat=True)] == [10]
    assert "usage_days: 1 deleted" in output
    assert "usage_users: 2 deleted" in output
