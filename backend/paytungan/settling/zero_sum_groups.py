"""The largest partition of balances into zero-sum groups, by bitmask dynamic programming.

Settling n non-zero balances needs at least n - g transfers, where g is the largest number of
disjoint zero-sum groups covering everyone (the transfers' connected components each sum to zero
and need size - 1 transfers), and n - g is reachable by settling each group on its own.

dp[mask] = (1 if mask sums to zero else 0) + max over members i in mask of dp[mask without i],
is the number of zero-sum sets on the best chain of removals. It is filled one popcount layer at
a time with numpy: 2**n * n cheap vector steps, about 20 million for n = 20.
"""

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from paytungan.settling.errors import SettleError

MAX_EXACT_MEMBERS = 20
_INT64_SAFE = 2**62


def zero_sum_groups(amounts: Sequence[int]) -> list[list[int]]:
    """Indices of ``amounts`` (non-zero, summing to zero) split into the most zero-sum groups."""
    count = len(amounts)
    if count == 0:
        return []
    if count > MAX_EXACT_MEMBERS:
        raise SettleError(f"Exact grouping is limited to {MAX_EXACT_MEMBERS} members, got {count}.")
    is_zero = _subset_sums(amounts) == 0
    is_zero[0] = False  # the empty set is not a group
    best = np.zeros(1 << count, dtype=np.int8)
    for layer in _popcount_layers(count)[1:]:
        # Removing a bit that is not set reads a mask of the next layer, still 0: harmless,
        # because the true maximum is never negative. That saves a mask per bit.
        candidate = best[layer ^ 1]
        for bit in range(1, count):
            np.maximum(candidate, best[layer ^ (1 << bit)], out=candidate)
        best[layer] = candidate + is_zero[layer]
    return _groups(count, best, is_zero)


def _groups(
    count: int, best: npt.NDArray[np.int8], is_zero: npt.NDArray[np.bool_]
) -> list[list[int]]:
    """Walk down one optimal chain; the members between consecutive zero-sum masks form a group."""
    groups: list[list[int]] = []
    mask = boundary = (1 << count) - 1
    while mask:
        wanted = best[mask] - is_zero[mask]
        bit = next(b for b in range(count) if mask >> b & 1 and best[mask ^ (1 << b)] == wanted)
        mask ^= 1 << bit
        if mask == 0 or is_zero[mask]:
            removed = boundary ^ mask
            groups.append([b for b in range(count) if removed >> b & 1])
            boundary = mask
    return groups


def _subset_sums(amounts: Sequence[int]) -> npt.NDArray[np.generic]:
    # Realistic balances fit int64 with room to spare; absurd ones fall back to exact Python ints.
    dtype = np.int64 if sum(abs(a) for a in amounts) < _INT64_SAFE else object
    sums = np.zeros(1 << len(amounts), dtype=dtype)
    for bit, amount in enumerate(amounts):
        sums[1 << bit : 2 << bit] = sums[: 1 << bit] + amount
    return sums


@lru_cache(maxsize=MAX_EXACT_MEMBERS + 1)
def _popcount_layers(count: int) -> tuple[npt.NDArray[np.intp], ...]:
    """All masks of ``count`` bits grouped by number of set bits (layer k = k bits set)."""
    popcount = np.zeros(1 << count, dtype=np.uint8)
    for bit in range(count):
        popcount[1 << bit : 2 << bit] = popcount[: 1 << bit] + 1
    order = np.argsort(popcount, kind="stable").astype(np.intp)
    boundaries = np.cumsum(np.bincount(popcount, minlength=count + 1))[:-1]
    layers = tuple(np.split(order, boundaries))
    for layer in layers:
        layer.flags.writeable = False
    return layers
