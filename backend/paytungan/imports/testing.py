"""Test and benchmark data: Splitwise-style CSV exports, made to the format's rules.

Shared by the imports tests and the import benchmark (keep the signature stable)."""

from __future__ import annotations

import datetime as dt
import random

from paytungan.money import allocate, to_decimal_string

CATEGORIES = ("General", "Dining out", "Groceries", "Taxi", "Hotel", "Electricity", "Movies")


def splitwise_csv(
    *,
    rows: int,
    members: tuple[str, ...] = ("Ayu", "Budi", "Citra", "Dewi"),
    seed: int = 1,
    currency: str = "USD",
    payments_every: int = 10,
    total_row: bool = True,
) -> tuple[bytes, dict[str, int]]:
    """A Splitwise export with `rows` rows (every `payments_every`-th a payment) and each
    member's column sum in minor units, which is what their balance must be after the import."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    lines = [",".join(["Date", "Description", "Category", "Cost", "Currency", *members]), ""]
    sums = dict.fromkeys(members, 0)
    day = dt.date(2025, 1, 1)
    for n in range(1, rows + 1):
        day += dt.timedelta(days=rng.random() < 0.3)
        nets = dict.fromkeys(members, 0)
        if payments_every and n % payments_every == 0:
            frm, to = rng.sample(members, 2)
            amount = rng.randint(100, 50_000)
            nets[frm], nets[to] = amount, -amount
            desc, category, cost = f"{frm} paid {to}", "Payment", amount
        else:
            cost = rng.randint(100, 200_000)
            people = rng.sample(members, rng.randint(1, len(members)))
            payer = rng.choice(members)
            parts = allocate(cost, [1] * len(people), f"seed{seed}:{n}")
            nets[payer] += cost
            for person, part in zip(people, parts, strict=True):
                nets[person] -= part
            desc, category = f'Expense {n}, "quoted"', rng.choice(CATEGORIES)
        for k, v in nets.items():
            sums[k] += v
        cells = [day.isoformat(), _csv(desc), category, to_decimal_string(cost, currency), currency]
        lines.append(",".join(cells + [to_decimal_string(nets[m], currency) for m in members]))
    if total_row:
        lines.append("")
        lines.append(
            ",".join(
                [day.isoformat(), "Total balance", " ", " ", currency]
                + [to_decimal_string(sums[m], currency) for m in members]
            )
        )
    return ("\n".join(lines) + "\n").encode(), sums


def _csv(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
