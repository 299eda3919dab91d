"""Allocation of an itemized bill: each line among its members, then each charge by subtotal.

Every line is split equally among the members ticked on it, and every charge (discount, service,
tax, tip) is allocated separately in proportion to the members' item subtotals.

A member's discount never exceeds their item subtotal: the bill discount D is at most the bill
subtotal S, so member i's quota D * s_i / S is at most s_i, and since s_i is an integer the
ceiling of the quota (the most allocate() can give) is at most s_i too.
"""

from collections.abc import Sequence

from paytungan.money import allocate
from paytungan.splitting.charges import ChargeTotals
from paytungan.splitting.items import ParsedItem
from paytungan.splitting.results import Breakdown


def split_itemized(
    items: Sequence[ParsedItem], totals: ChargeTotals, tie_key: str
) -> dict[int, Breakdown]:
    """Breakdown per member id, sorted by id; the totals sum to ``totals.total``."""
    subtotals: dict[int, int] = {}
    for index, item in enumerate(items):
        parts = allocate(item.line_total, [1] * len(item.member_ids), f"{tie_key}:item:{index}")
        for member_id, part in zip(item.member_ids, parts, strict=True):
            subtotals[member_id] = subtotals.get(member_id, 0) + part
    member_ids = sorted(subtotals)
    weights = [subtotals[member_id] for member_id in member_ids]

    def share_of(charge: str, amount: int) -> list[int]:
        # An all-zero subtotal only reaches here with all charges zero (charge_totals checks).
        if amount == 0:
            return [0] * len(member_ids)
        return allocate(amount, weights, f"{tie_key}:{charge}")

    discounts = share_of("discount", totals.discount)
    services = share_of("service", totals.service)
    taxes = share_of("tax", totals.tax)
    tips = share_of("tip", totals.tip)
    breakdown: dict[int, Breakdown] = {}
    for position, member_id in enumerate(member_ids):
        items_total, discount = weights[position], discounts[position]
        service, tax, tip = services[position], taxes[position], tips[position]
        breakdown[member_id] = Breakdown(
            items=items_total,
            discount=discount,
            service=service,
            tax=tax,
            tip=tip,
            total=items_total - discount + service + tax + tip,
        )
    return breakdown
