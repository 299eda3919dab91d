"""Who owes whom for one bill.

A member's net is paid - share. Each debtor's debt is split over the creditors in proportion to
what each creditor is owed (largest remainder, via allocate). Rounding each debtor separately
keeps every debtor's total exact but can leave a creditor a unit over or under, so the columns are
then repaired by moving single units between creditors within a debtor's row along shortest
augmenting paths. The result: every debtor pays exactly their debt, every creditor receives
exactly their credit, and every entry is the floor or ceiling of its exact proportional quota.
(Such a rounding always exists: the quota matrix is a feasible fractional flow, and flows with
integer bounds have integral solutions.)
"""

from collections import deque
from collections.abc import Callable, Mapping

from paytungan.money import allocate
from paytungan.splitting.errors import SplitError

_Check = Callable[[int, int], bool]


def bill_debts(
    paid: Mapping[int, int], shares: Mapping[int, int], tie_key: str
) -> list[tuple[int, int, int]]:
    """(debtor, creditor, amount) triples with amount > 0, sorted by debtor then creditor."""
    paid_total, share_total = sum(paid.values()), sum(shares.values())
    if paid_total != share_total:
        raise SplitError(
            {"payers": [f"Payments add up to {paid_total} but the shares to {share_total}."]}
        )
    member_ids = sorted(set(paid) | set(shares))
    net = {member: paid.get(member, 0) - shares.get(member, 0) for member in member_ids}
    debtors = [member for member in member_ids if net[member] < 0]
    creditors = [member for member in member_ids if net[member] > 0]
    credits = [net[creditor] for creditor in creditors]
    rows = [allocate(-net[debtor], credits, f"{tie_key}:debts:{debtor}") for debtor in debtors]
    _repair_columns(rows, [-net[debtor] for debtor in debtors], credits)
    return [
        (debtor, creditor, amount)
        for debtor, row in zip(debtors, rows, strict=True)
        for creditor, amount in zip(creditors, row, strict=True)
        if amount > 0
    ]


def _repair_columns(rows: list[list[int]], debts: list[int], credits: list[int]) -> None:
    """Make column sums equal ``credits`` without changing row sums or leaving floor/ceiling."""
    total = sum(credits)
    excess = [sum(row[c] for row in rows) - credit for c, credit in enumerate(credits)]

    def raisable(r: int, c: int) -> bool:  # at the floor of a non-integral quota
        return rows[r][c] * total < debts[r] * credits[c]

    def lowerable(r: int, c: int) -> bool:  # at the ceiling of a non-integral quota
        return rows[r][c] * total > debts[r] * credits[c]

    while any(excess):
        path = _augmenting_path(len(rows), excess, raisable, lowerable)
        for row, from_column, to_column in path:
            rows[row][from_column] -= 1
            rows[row][to_column] += 1
        excess[path[0][1]] -= 1
        excess[path[-1][2]] += 1


def _augmenting_path(
    row_count: int,
    excess: list[int],
    raisable: _Check,
    lowerable: _Check,
) -> list[tuple[int, int, int]]:
    """Shortest chain of (row, from column, to column) moves from a surplus to a deficit column."""
    columns = range(len(excess))
    came_from: dict[int, tuple[int, int] | None] = {c: None for c in columns if excess[c] > 0}
    # Which columns a row can pass a unit to depends on the row alone, so each row is expanded
    # at most once: a search costs rows x columns checks, not columns x rows x columns.
    expanded_rows: set[int] = set()
    queue = deque(came_from)
    while queue:
        column = queue.popleft()
        for row in range(row_count):
            if row in expanded_rows or not lowerable(row, column):
                continue
            expanded_rows.add(row)
            for target in columns:
                if target in came_from or not raisable(row, target):
                    continue
                came_from[target] = (row, column)
                if excess[target] < 0:
                    return _unwind(came_from, target)
                queue.append(target)
    # Unreachable by the flow argument in the module docstring.
    raise SplitError({"payers": ["Could not split the debts exactly."]})


def _unwind(
    came_from: dict[int, tuple[int, int] | None], target: int
) -> list[tuple[int, int, int]]:
    path: list[tuple[int, int, int]] = []
    step = came_from[target]
    while step is not None:
        row, column = step
        path.append((row, column, target))
        target = column
        step = came_from[target]
    path.reverse()
    return path
