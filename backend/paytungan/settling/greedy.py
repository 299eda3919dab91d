"""Greedy settling: the largest debtor pays the largest creditor until everyone is square.

Every transfer zeroes at least one member and the last zeroes two, so n members need at most
n - 1 transfers. Heaps make it O(n log n); ties go to the smaller member id.
"""

import heapq
from collections.abc import Sequence


def greedy_transfers(balances: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(payer, receiver, amount) triples settling (member id, balance) pairs that sum to zero."""
    # Both heaps pop the largest magnitude first, then the smallest member id.
    debtors = [(balance, member) for member, balance in balances if balance < 0]
    creditors = [(-balance, member) for member, balance in balances if balance > 0]
    heapq.heapify(debtors)
    heapq.heapify(creditors)
    transfers: list[tuple[int, int, int]] = []
    while debtors and creditors:
        debt, debtor = heapq.heappop(debtors)
        negative_credit, creditor = heapq.heappop(creditors)
        amount = min(-debt, -negative_credit)
        transfers.append((debtor, creditor, amount))
        if -debt > amount:
            heapq.heappush(debtors, (debt + amount, debtor))
        if -negative_credit > amount:
            heapq.heappush(creditors, (negative_credit + amount, creditor))
    return transfers
