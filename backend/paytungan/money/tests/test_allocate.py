import hashlib
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import AllocationError, allocate

weights_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(
    any
)
totals = st.integers(min_value=0, max_value=10**12)
keys = st.text(max_size=10)


def reference_allocate(total: int, weights: list[int], tie_key: str) -> list[int]:
    """Straight from the definition, with Fractions: floor, then largest remainders first."""
    quotas = [Fraction(total * weight, sum(weights)) for weight in weights]
    parts = [quota.numerator // quota.denominator for quota in quotas]

    def priority(index: int) -> tuple[Fraction, bytes]:
        digest = hashlib.sha256(f"{tie_key}:{index}".encode()).digest()
        return (-(quotas[index] - parts[index]), digest)

    for index in sorted(range(len(weights)), key=priority)[: total - sum(parts)]:
        parts[index] += 1
    return parts


def test_splits_evenly_when_it_can() -> None:
    assert allocate(90, [1, 1, 1], "k") == [30, 30, 30]
    assert allocate(100, [3, 1], "k") == [75, 25]


def test_leftover_goes_to_the_largest_remainder() -> None:
    # quotas 100 * 2/7 = 28.57, 100 * 5/7 = 71.43: the .57 gets the unit.
    assert allocate(100, [2, 5], "k") == [29, 71]
    # quotas 10/3 = 3.33 each of three, one unit goes to one of them by tie hash.
    assert sorted(allocate(10, [1, 1, 1], "k")) == [3, 3, 4]


def test_zero_weights_get_nothing() -> None:
    assert allocate(7, [0, 1, 0, 1], "k") in ([0, 4, 0, 3], [0, 3, 0, 4])


def test_zero_total_gives_zero_parts() -> None:
    assert allocate(0, [1, 2, 3], "k") == [0, 0, 0]


def test_tie_goes_to_the_smallest_digest_of_key_and_index() -> None:
    digests = [hashlib.sha256(f"bill-1:{i}".encode()).digest() for i in range(3)]
    winner = digests.index(min(digests))
    parts = allocate(1, [1, 1, 1], "bill-1")
    assert parts[winner] == 1
    assert sum(parts) == 1


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, [1], "Total to allocate must be a non-negative integer, got -1."),
        (True, [1], "Total to allocate must be a non-negative integer, got True."),
        (10, [], "Nothing to allocate over: the list of weights is empty."),
        (10, [0, 0], "At least one weight must be positive."),
        (10, [1, -1], "Weight 1 must be a non-negative integer, got -1."),
        (10, [1, False], "Weight 1 must be a non-negative integer, got False."),
    ],
)
def test_invalid_inputs_raise_allocation_errors(
    total: int, weights: list[int], message: str
) -> None:
    with pytest.raises(AllocationError) as caught:
        allocate(total, weights, "k")
    assert caught.value.message == message
    assert caught.value.code == "invalid_allocation"


@given(total=totals, weights=weights_lists, key=keys)
def test_parts_sum_to_the_total_and_are_floor_or_ceiling_of_the_quota(
    total: int, weights: list[int], key: str
) -> None:
    parts = allocate(total, weights, key)
    assert sum(parts) == total
    denominator = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        floor = total * weight // denominator
        ceiling = -(-total * weight // denominator)
        assert part in (floor, ceiling)


@given(total=totals, weights=weights_lists, key=keys)
def test_matches_the_fraction_reference(total: int, weights: list[int], key: str) -> None:
    assert allocate(total, weights, key) == reference_allocate(total, weights, key)


@given(total=totals, weights=weights_lists, key=keys)
def test_same_input_same_result(total: int, weights: list[int], key: str) -> None:
    assert allocate(total, weights, key) == allocate(total, list(weights), key)


@given(total=st.integers(min_value=0, max_value=10**6), weights=weights_lists, key=keys)
def test_no_unit_goes_to_a_smaller_remainder_than_one_left_out(
    total: int, weights: list[int], key: str
) -> None:
    parts = allocate(total, weights, key)
    denominator = sum(weights)
    remainders = [total * weight % denominator for weight in weights]
    bumped = [
        r for r, p, w in zip(remainders, parts, weights, strict=True) if p * denominator > total * w
    ]
    left_out = [
        r for r, p, w in zip(remainders, parts, weights, strict=True) if p * denominator < total * w
    ]
    if bumped and left_out:
        assert min(bumped) >= max(left_out)


def test_ties_favour_different_members_for_different_keys() -> None:
    # One unit among five equal members, over 500 bills: each member should win about 100 times.
    wins = Counter(allocate(1, [1] * 5, f"bill-{n}").index(1) for n in range(500))
    assert set(wins) == set(range(5))
    assert all(60 <= count <= 140 for count in wins.values()), wins


def test_ties_among_unequal_weights_also_spread_across_keys() -> None:
    # Weights 2,2,1,1: 3 units -> quotas 1, 1, .5, .5; the odd unit goes to index 2 or 3 by key.
    winners = Counter(allocate(3, [2, 2, 1, 1], f"bill-{n}").index(1, 2) for n in range(200))
    assert set(winners) == {2, 3}
    assert min(winners.values()) >= 60, winners


def test_ten_thousand_weights_with_huge_totals() -> None:
    weights = [(i * 7919) % 1000 for i in range(10_000)]
    parts = allocate(10**12 - 1, weights, "big")
    assert sum(parts) == 10**12 - 1
