"""Test-wide configuration: hypothesis profiles.

`dev` (the default) runs thousands of examples per property; `ci` is lighter so that `make test`
stays inside its time budget. Select with HYPOTHESIS_PROFILE.
"""

import os
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

if TYPE_CHECKING:
    from paytungan.common.testing import ApiClient


# --- shared fixtures (paytungan.common.testing holds the helpers) ------------------------------
import pytest  # noqa: E402


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings as django_settings

    db = django_settings.DATABASES["default"]
    return [
        f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''}:{db.get('PORT') or ''}"
    ]


@pytest.fixture
def api(db: None) -> "ApiClient":
    from paytungan.common.testing import ApiClient

    return ApiClient()


@pytest.fixture
def make_client(db: None):
    from paytungan.common.testing import ApiClient

    def _make(user=None, **kw):
        client = ApiClient(**kw)
        if user is not None:
            client.login(user)
        return client

    return _make


@pytest.fixture
def user(db: None):
    from paytungan.common.testing import make_user

    return make_user(name="Ayu")


@pytest.fixture
def user_client(user, make_client):
    return make_client(user)


@pytest.fixture
def wsgi_call(db: None):
    """`call_wsgi` (a WSGI application called as gunicorn does). The request signals would
    close the test's database connection; Django's test client turns that off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from paytungan.common.testing import call_wsgi

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield call_wsgi
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def caller_cache_on(settings):
    settings.CALLER_CACHE_SECONDS = 10


@pytest.fixture
def caller_cache_live(caller_cache_on):
    """The caller cache on, fed by the real change listener (a PostgreSQL test with
    transaction=True: the notices come at commit)."""
    from paytungan.accounts.caller_cache import caller_cache
    from paytungan.common.db_changes import listener
    from paytungan.common.testing import wait_until

    caller_cache.clear()
    assert wait_until(listener.healthy), "the change listener never heard its heartbeat"
    yield
    listener.stop()  # its connection would keep the test database from being dropped


@pytest.fixture
def queries():
    from paytungan.common.testing import QueryCounter

    return QueryCounter


@pytest.fixture(autouse=True, scope="session")
def _no_caller_cache():
    """A test's writes are rolled back, never committed, so PostgreSQL never sends the change
    notices that keep the caller cache current: it is off here, and on in its own tests
    (accounts/tests/test_caller_cache.py), which commit."""
    from django.conf import settings as django_settings

    saved = django_settings.CALLER_CACHE_SECONDS
    django_settings.CALLER_CACHE_SECONDS = 0
    yield
    django_settings.CALLER_CACHE_SECONDS = saved


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    """Argon2 at its production cost takes ~0.3 s per hash on this machine and the tests hash
    thousands of times. Same algorithm and hash format (`argon2$argon2id$...`), minimal cost."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    saved = (
        Argon2PasswordHasher.time_cost,
        Argon2PasswordHasher.memory_cost,
        Argon2PasswordHasher.parallelism,
    )
    Argon2PasswordHasher.time_cost = 1
    Argon2PasswordHasher.memory_cost = 1024
    Argon2PasswordHasher.parallelism = 1
    yield
    (
        Argon2PasswordHasher.time_cost,
        Argon2PasswordHasher.memory_cost,
        Argon2PasswordHasher.parallelism,
    ) = saved


@pytest.fixture(autouse=True, scope="session")
def _private_static_root(tmp_path_factory):
    """WhiteNoise scans STATIC_ROOT (var/static) whenever a test client starts; a concurrent
    `collectstatic` (make run, make stack) rewriting it made tests fail at random. Tests get an
    empty directory of their own."""
    from django.conf import settings as django_settings

    saved = django_settings.STATIC_ROOT
    django_settings.STATIC_ROOT = str(tmp_path_factory.mktemp("static"))
    yield
    django_settings.STATIC_ROOT = saved


@pytest.fixture
def client_for(make_client):
    """A logged-in client per user, built once each."""
    clients = {}

    def _for(user):
        if user.pk not in clients:
            clients[user.pk] = make_client(user)
        return clients[user.pk]

    return _for


@pytest.fixture
def outsider_client(make_client):
    """A logged-in user who belongs to no group of the test's."""
    from paytungan.common.testing import make_user

    return make_client(make_user(name="Stranger"))
