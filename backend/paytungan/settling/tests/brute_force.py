"""Independent exhaustive answers for small groups, to check the fast algorithms against."""

from collections.abc import Sequence


def min_transfers_by_search(balances: Sequence[int]) -> int:
    """Fewest transfers, by trying every way to settle the first open balance against another.

    Exhaustive backtracking: the first unsettled member is settled completely by one transfer
    with each later member of the opposite sign in turn (the classic search for this problem).
    """
    amounts = [balance for balance in balances if balance != 0]

    def search(start: int) -> int:
        while start < len(amounts) and amounts[start] == 0:
            start += 1
        if start == len(amounts):
            return 0
        best = len(amounts)
        for other in range(start + 1, len(amounts)):
            if amounts[other] * amounts[start] < 0:
                amounts[other] += amounts[start]
                best = min(best, 1 + search(start + 1))
                amounts[other] -= amounts[start]
        return best

    return search(0)


def max_zero_sum_partition(amounts: Sequence[int]) -> int:
    """Most blocks in a partition of ``amounts`` into zero-sum blocks, over all set partitions."""
    best = 0

    def place(index: int, blocks: list[int]) -> None:
        nonlocal best
        if index == len(amounts):
            if all(total == 0 for total in blocks):
                best = max(best, len(blocks))
            return
        for position in range(len(blocks)):
            blocks[position] += amounts[index]
            place(index + 1, blocks)
            blocks[position] -= amounts[index]
        blocks.append(amounts[index])
        place(index + 1, blocks)
        blocks.pop()

    place(0, [])
    return best
