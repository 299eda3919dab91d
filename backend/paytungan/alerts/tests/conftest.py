from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from paytungan.alerts import delivery
from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import DiscordStub


@pytest.fixture
def discord() -> Iterator[DiscordStub]:
    stub = DiscordStub().start()
    yield stub
    stub.stop()


class FakeClock(delivery.Clock):
    """A clock that stands still unless a test (or a wait in the code) moves it: a pause never
    runs out behind a test's back however loaded the machine is, and a wait takes no real time.
    It starts a minute ahead of real time, so rows stored during the test are already due."""

    def __init__(self) -> None:
        self.current = timezone.now() + timedelta(seconds=60)
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(delivery, "clock", fake)
    return fake


@pytest.fixture
def relay(settings: Any, discord: DiscordStub, tmp_path: Any) -> Any:
    """Relay settings pointing at the Discord stand-in, with fast retries and no background
    delivery (tests drive delivery themselves unless they turn it on)."""
    settings.DISCORD_WEBHOOK_URL = discord.url
    settings.DISCORD_WEBHOOK_ROUTES = {}
    settings.SENTRY_WEBHOOK_SECRETS = [payloads.SECRET]
    settings.ALERT_HOOK_TOKEN = payloads.TOKEN
    settings.ALERT_FOLD_WINDOW_SECONDS = 300
    settings.ALERT_HOOK_MAX_AGE_SECONDS = 300
    settings.ALERT_DELIVER_ON_RECEIVE = False
    settings.ALERT_RETRY_BASE_SECONDS = 0.05
    settings.ALERT_RETRY_MAX_SECONDS = 0.2
    settings.ALERT_DISCORD_TIMEOUT_SECONDS = 0.5
    settings.ALERT_CLAIM_LEASE_SECONDS = 5.0
    settings.ALERT_SPOOL_DIR = str(tmp_path / "spool")
    return settings


@pytest.fixture
def hook_client() -> Client:
    # CSRF enforced like a browser would get it: the hooks must not depend on a token.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def post_sentry(hook_client: Client) -> Callable[..., Any]:
    def _post(resource: str, payload: Any = None, *, raw: bytes | None = None, **kw: Any) -> Any:
        body = raw if raw is not None else payloads.encode(payload)
        headers = payloads.sentry_headers(body, resource, **kw)
        return hook_client.post(
            "/hooks/sentry", data=body, content_type="application/json", headers=headers
        )

    return _post
