from __future__ import annotations

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import make_user


@pytest.fixture
def budi(db: None) -> User:
    return make_user(name="Budi", username="budi")
