from typing import Any

import pytest

from paytungan.money import allocate

WEIGHTS = [(index * 7919) % 1000 + 1 for index in range(10_000)]


@pytest.mark.bench
def test_bench_allocate_10000_weights(benchmark: Any) -> None:
    parts = benchmark(allocate, 999_999_999_999, WEIGHTS, "bench")
    assert sum(parts) == 999_999_999_999


@pytest.mark.bench
def test_bench_allocate_10000_equal_weights_all_tied(benchmark: Any) -> None:
    # Worst case for tie-breaking: 9,999 units left over, all remainders equal.
    parts = benchmark(allocate, 10_000 * 7 + 9_999, [1] * 10_000, "bench")
    assert sum(parts) == 79_999
