"""Turning balances into transfers: the fewest possible, or the plain pairwise view.

Balance sign: positive = the group owes this member (they paid more than their share).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from paytungan.settling.errors import SettleError
from paytungan.settling.greedy import greedy_transfers
from paytungan.settling.zero_sum_groups import MAX_EXACT_MEMBERS, zero_sum_groups


@dataclass(frozen=True, order=True)
class Transfer:
    from_id: int
    to_id: int
    amount: int


def settle(balances: Mapping[int, int]) -> list[Transfer]:
    """The fewest transfers that zero every balance, sorted by (from_id, to_id).

    Exact minimum when at most 20 members have a non-zero balance: the members are split into
    the most zero-sum groups and each group is settled greedily in size - 1 transfers. Beyond 20
    the exact search is too expensive and greedy over everyone (at most n - 1 transfers) is used.
    The same balances always give the same transfers.
    """
    for member, balance in balances.items():
        _require_int(member, "Member id")
        _require_int(balance, f"Balance of member {member}")
    imbalance = sum(balances.values())
    if imbalance != 0:
        raise SettleError(f"Balances must sum to zero, but they sum to {imbalance}.")
    owing = sorted((member, balance) for member, balance in balances.items() if balance != 0)
    if len(owing) <= MAX_EXACT_MEMBERS:
        groups = zero_sum_groups([balance for _, balance in owing])
        triples = [
            triple for group in groups for triple in greedy_transfers([owing[i] for i in group])
        ]
    else:
        triples = greedy_transfers(owing)
    return sorted(Transfer(*triple) for triple in triples)


def pairwise(debts: Iterable[tuple[int, int, int]]) -> list[Transfer]:
    """Net (debtor, creditor, amount) debts per pair of members, without simplifying further.

    A owes B 10 and B owes A 4 gives one transfer A -> B of 6. A negative amount counts in the
    other direction, so recorded payments can be passed as (payer, receiver, -amount).
    """
    net: dict[tuple[int, int], int] = {}
    for debtor, creditor, amount in debts:
        _require_int(debtor, "Debtor id")
        _require_int(creditor, "Creditor id")
        _require_int(amount, "Debt amount")
        if debtor == creditor:
            raise SettleError(f"Member {debtor} cannot owe themselves.")
        # Key each pair by (smaller id, larger id); positive means the smaller id owes.
        if debtor < creditor:
            net[(debtor, creditor)] = net.get((debtor, creditor), 0) + amount
        else:
            net[(creditor, debtor)] = net.get((creditor, debtor), 0) - amount
    transfers = [
        Transfer(low, high, amount) if amount > 0 else Transfer(high, low, -amount)
        for (low, high), amount in net.items()
        if amount != 0
    ]
    return sorted(transfers)


def _require_int(value: object, label: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettleError(f"{label} must be an integer, got {value!r}.")
