from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from paytungan.alerts.tests import payloads
from paytungan.alerts.tests.discord_stub import DiscordStub


@pytest.fixture
def discord() -> Iterator[DiscordStub]:
    stub = DiscordStub().start()
    yield stub
    stub.stop()


@pytest.fixture
def relay(settings: Any, discord: DiscordStub) -> Any:
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
