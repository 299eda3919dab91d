from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.testing import make_group


@pytest.fixture
def budi(db: None) -> User:
    return make_user(name="Budi")


@pytest.fixture
def citra(db: None) -> User:
    return make_user(name="Citra")


@pytest.fixture
def trip(user: User, budi: User, citra: User) -> tuple[Any, dict[Any, Any]]:
    """Ayu (the `user` fixture, creator), Budi and Citra with accounts, and guest Dodi."""
    return make_group(owner=user, users=(budi, citra), guests=("Dodi",))


@pytest.fixture
def overhead(queries: Any) -> Any:
    """Queries any authenticated request makes (session, user), measured on GET
    /api/me, so query-count assertions are about the endpoint itself."""

    def _measure(client: Any) -> int:
        client.get("/api/me")
        with queries() as q:
            assert client.get("/api/me").status == 200
        return int(q.count)

    return _measure
