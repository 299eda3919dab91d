from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.testing import make_group


@pytest.fixture
def budi(db: None) -> User:
    return make_user(name="Budi", username="budi")


@pytest.fixture
def trip(user: User, budi: User) -> tuple[Any, dict[Any, Any]]:
    """Ayu (the `user` fixture, creator) and Budi with accounts, and guest Citra."""
    return make_group(owner=user, users=(budi,), guests=("Citra",))


@pytest.fixture(scope="module")
def http_server(django_db_blocker: Any) -> Any:
    """A real threaded HTTP server (Django's LiveServerThread) in front of the app, for tests
    whose point is concurrency through the whole stack: each request runs on its own server
    thread with its own database connection, as under gunicorn's threads.

    Listens on 127.0.0.1 only; the port is ephemeral unless PAYTUNGAN_TEST_HTTP_PORT gives a
    base (each xdist worker adds its index, so parallel workers don't collide)."""
    import os

    from pytest_django.live_server_helper import LiveServer

    base = int(os.environ.get("PAYTUNGAN_TEST_HTTP_PORT", "0"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    port = base + int(worker or 0) if base else 0
    with django_db_blocker.unblock():
        server = LiveServer(f"127.0.0.1:{port}")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
