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
