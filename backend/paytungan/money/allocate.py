"""Largest-remainder allocation of an integer total over integer weights."""

import hashlib
from collections.abc import Sequence

from paytungan.money.errors import AllocationError


def allocate(total: int, weights: Sequence[int], tie_key: str) -> list[int]:
    """Split ``total`` into parts proportional to ``weights`` that sum exactly to ``total``.

    Each part is the floor or the ceiling of its exact quota total * w / sum(weights). The units
    left after flooring go to the largest fractional remainders; equal remainders are ordered by
    sha256(f"{tie_key}:{index}"), so the same key always favours the same positions while
    different keys (different bills) favour different ones. Integer arithmetic only.
    """
    if not _is_int(total) or total < 0:
        raise AllocationError(f"Total to allocate must be a non-negative integer, got {total!r}.")
    if len(weights) == 0:
        raise AllocationError("Nothing to allocate over: the list of weights is empty.")
    for index, weight in enumerate(weights):
        if not _is_int(weight) or weight < 0:
            raise AllocationError(f"Weight {index} must be a non-negative integer, got {weight!r}.")
    denominator = sum(weights)
    if denominator == 0:
        raise AllocationError("At least one weight must be positive.")

    parts: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        quotient, remainder = divmod(total * weight, denominator)
        parts.append(quotient)
        remainders.append(remainder)
    # sum(remainders) == leftover * denominator and each remainder < denominator, so leftover is
    # smaller than the number of positive remainders: a zero weight never receives a unit.
    leftover = total - sum(parts)
    if leftover:
        for index in _largest_remainders(remainders, leftover, tie_key):
            parts[index] += 1
    return parts


def _largest_remainders(remainders: list[int], count: int, tie_key: str) -> list[int]:
    """Indices of the ``count`` largest remainders, ties ordered by their tie hash."""
    threshold = sorted(remainders, reverse=True)[count - 1]
    winners = [i for i, remainder in enumerate(remainders) if remainder > threshold]
    # Hashing only the tied group at the threshold keeps 10,000-weight allocations cheap.
    tied = [i for i, remainder in enumerate(remainders) if remainder == threshold]
    tied.sort(key=lambda index: tie_hash(tie_key, index))
    return winners + tied[: count - len(winners)]


def tie_hash(tie_key: str, index: int) -> bytes:
    """The ordering key for position ``index``: smaller digests win ties."""
    return hashlib.sha256(f"{tie_key}:{index}".encode()).digest()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
