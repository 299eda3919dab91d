import random
from typing import Any

import pytest

from paytungan.settling import settle
from paytungan.settling.zero_sum_groups import _popcount_layers


def random_balances(count: int, seed: int) -> dict[int, int]:
    rng = random.Random(seed)
    amounts = [rng.randint(-(10**7), 10**7) for _ in range(count - 1)]
    amounts.append(-sum(amounts))
    return dict(enumerate(amounts, start=1))


@pytest.mark.bench
def test_bench_settle_exact_16_members(benchmark: Any) -> None:
    balances = random_balances(16, seed=16)
    transfers = benchmark(settle, balances)
    assert len(transfers) <= 15


@pytest.mark.bench
def test_bench_settle_exact_20_members(benchmark: Any) -> None:
    balances = random_balances(20, seed=20)
    transfers = benchmark(settle, balances)
    assert len(transfers) <= 19


@pytest.mark.bench
def test_bench_settle_exact_20_members_cold(benchmark: Any) -> None:
    # Includes building the popcount layers, which are cached per group size after first use.
    balances = random_balances(20, seed=20)
    transfers = benchmark.pedantic(
        settle, args=(balances,), setup=_popcount_layers.cache_clear, rounds=15
    )
    assert len(transfers) <= 19


@pytest.mark.bench
def test_bench_settle_greedy_10000_members(benchmark: Any) -> None:
    balances = random_balances(10_000, seed=10_000)
    transfers = benchmark(settle, balances)
    assert len(transfers) <= 9_999
