"""Repeatable data for load tests (capacity/locustfile.py): many users, each with a live session
and a token, in groups of realistic sizes holding realistic numbers of bills.

Groups come from seed.seed_group (bills of 2-8 people, every split mode, bulk-inserted); most of
each group's guests are then turned into registered users, as in real groups where a few people
never sign up. Users are dealt round-robin over the groups, so everyone has at least one group
once groups x registered members >= users. Same --seed, same data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from tools.seed.bulk import seed_group

from paytungan.accounts.models import AccessToken, User
from paytungan.accounts.tokens import token_create
from paytungan.groups.models import Group, Member

EMAIL_DOMAIN = "capacity.paytungan.test"
TOKEN_NAME = "capacity"  # noqa: S105 - a label, not a secret
# (people in the group, weight): couples, housemates, office lunches, trips.
GROUP_SIZES = [(2, 15), (3, 20), (4, 25), (5, 15), (6, 10), (8, 10), (10, 5)]
REGISTERED_SHARE = 0.8
_NAMES = [
    "Kos Melati", "Trip Bali", "Makan Siang Kantor", "Arisan", "Futsal Kamis", "Keluarga",
    "Pendakian Rinjani", "Kontrakan", "Nonton Bareng", "Liburan Jogja",
]  # fmt: skip


@dataclass(frozen=True)
class Account:
    email: str
    session: str
    token: str
    groups: list[int]


def _bills(rng: random.Random, median: int, most: int) -> int:
    # Log-normal: most groups hold a few dozen bills, a long-running few hold hundreds.
    return min(most, max(1, round(rng.lognormvariate(math.log(median), 0.9))))


def _create(
    *, rng: random.Random, users: int, groups: int, median: int, most: int, seed: int,
    password: str, progress: Callable[[str], None],
) -> None:  # fmt: skip
    hashed = make_password(password)  # one Argon2 hash shared by every load-test user
    User.objects.bulk_create(
        User(email=f"load{i:05d}@{EMAIL_DOMAIN}", name=f"Load {i}", password=hashed)
        for i in range(users)
    )
    people = list(User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).order_by("id"))
    deal = people[:]
    rng.shuffle(deal)
    cursor = 0
    sizes, weights = zip(*GROUP_SIZES, strict=True)
    for g in range(groups):
        size = min(rng.choices(sizes, weights)[0], len(people))
        registered = max(2, min(size, round(size * REGISTERED_SHARE)))
        chosen: list[User] = []
        while len(chosen) < registered:
            candidate = deal[cursor % len(deal)]
            cursor += 1
            if candidate not in chosen:
                chosen.append(candidate)
        seeded = seed_group(
            owner=chosen[0], members=size, bills=_bills(rng, median, most), seed=seed * 100_000 + g
        )
        with transaction.atomic():
            for member_id, user in zip(seeded.member_ids[1:], chosen[1:], strict=False):
                Member.objects.filter(pk=member_id).update(user=user, name=user.name)
            Group.objects.filter(pk=seeded.group_id).update(name=f"{rng.choice(_NAMES)} {g + 1}")
        if (g + 1) % 25 == 0 or g + 1 == groups:
            progress(f"{g + 1}/{groups} groups")


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    key: str = store.session_key
    return key


def seed_capacity(
    *,
    users: int,
    groups: int,
    bills_median: int = 30,
    bills_max: int = 400,
    seed: int = 1,
    password: str,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Account]:
    """Create the data once (a second run reuses it) and issue fresh sessions and tokens."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    existing = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    if not existing.exists():
        _create(
            rng=rng, users=users, groups=groups, median=bills_median, most=bills_max, seed=seed,
            password=password, progress=progress,
        )  # fmt: skip
    else:
        progress(f"reusing {existing.count()} load-test users already in the database")
    people = list(existing.order_by("id"))
    memberships: dict[int, list[int]] = {}
    for user_id, group_id in Member.objects.filter(user__in=people, is_active=True).values_list(
        "user_id", "group_id"
    ):
        memberships.setdefault(user_id, []).append(group_id)
    AccessToken.objects.filter(user__in=people, name=TOKEN_NAME).delete()
    accounts = []
    for user in people:
        _, secret = token_create(user=user, name=TOKEN_NAME)
        accounts.append(
            Account(
                email=user.email,
                session=_session(user),
                token=secret,
                groups=sorted(memberships.get(user.pk, [])),
            )
        )
    progress(f"{len(accounts)} accounts with a session and a token")
    return accounts
