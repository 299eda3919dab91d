"""Fixtures for the bills API tests: Ayu (logged in) with Budi (a user) and Citra (a guest)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import ApiClient, make_user
from paytungan.groups.models import Group, Member
from paytungan.groups.testing import make_group


@dataclass
class Trip:
    group: Group
    ayu: Member
    budi: Member
    citra: Member
    ayu_user: User
    budi_user: User
    client: ApiClient  # logged in as Ayu

    def balances(self) -> dict[int, int]:
        return {m.pk: m.balance for m in Member.objects.filter(group=self.group)}


@pytest.fixture
def trip(user: User, user_client: ApiClient) -> Trip:
    budi = make_user(name="Budi")
    group, m = make_group(owner=user, guests=("Citra",), users=(budi,))
    return Trip(group, m[user], m[budi], m["Citra"], user, budi, user_client)


@pytest.fixture
def usd_trip(user: User, user_client: ApiClient) -> Trip:
    budi = make_user(name="Budi")
    group, m = make_group(owner=user, currency="USD", guests=("Citra",), users=(budi,))
    return Trip(group, m[user], m[budi], m["Citra"], user, budi, user_client)
