"""What the bill services take: a bill as its author wrote it, in the core's input types.

The API maps its request body (bills.schemas.BillIn, validated for JSON types) to `BillData`;
jobs and imports build one directly (`from_json` for a stored body). Amounts stay raw strings:
the pure core parses them and names the exact field of every mistake (paytungan.splitting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from paytungan.splitting import ChargesInput, ItemInput, MemberValueInput, PayerInput


@dataclass(frozen=True)
class BillData:
    """A bill before the group fills in its defaults (currency, today's date)."""

    title: str
    mode: str  # bills.models.SplitMode
    payers: tuple[PayerInput, ...]
    members: tuple[MemberValueInput, ...] = ()
    items: tuple[ItemInput, ...] = ()
    charges: ChargesInput = field(default_factory=ChargesInput)
    total: str | None = None  # required except for itemized bills (computed there)
    date: dt.date | None = None  # None: today (create) or the bill's date (update)
    currency: str | None = None  # None: the group's
    exchange_rate: str | None = None  # group-currency units per bill-currency unit
    category: str = "other"
    notes: str = ""

    def member_refs(self) -> list[tuple[str, int]]:
        """(field path, member id) for every member the bill names."""
        refs = [(f"payers.{i}.member_id", p.member_id) for i, p in enumerate(self.payers)]
        refs += [(f"split.members.{i}.member_id", m.member_id) for i, m in enumerate(self.members)]
        for i, item in enumerate(self.items):
            refs += [(f"split.items.{i}.member_ids", member_id) for member_id in item.member_ids]
        return refs

    def split_json(self) -> dict[str, Any]:
        """The split as submitted, as the bill stores and shows it (`Bill.split`)."""
        c = self.charges
        return {
            "mode": self.mode,
            "members": [{"member_id": m.member_id, "value": m.value} for m in self.members],
            "items": [
                {
                    "name": i.name,
                    "quantity": i.quantity,
                    "unit_price": i.unit_price,
                    "member_ids": list(i.member_ids),
                }
                for i in self.items
            ],
            "charges": {
                "discount": c.discount,
                "discount_percent": c.discount_percent,
                "service_percent": c.service_percent,
                "tax_percent": c.tax_percent,
                "tip": c.tip,
            },
        }

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> BillData:
        """From a bill body in the API's JSON shape (a stored recurring template, demo data).
        Only shapes it: the values are checked by the bill computation like any bill's."""
        split = body.get("split") or {}
        charges = split.get("charges") or {}
        raw_date = body.get("date")
        return cls(
            title=body["title"],
            mode=split["mode"],
            payers=tuple(PayerInput(p["member_id"], p["amount"]) for p in body["payers"]),
            members=tuple(
                MemberValueInput(m["member_id"], m.get("value")) for m in split.get("members", ())
            ),
            items=tuple(
                ItemInput(i["name"], i.get("quantity", 1), i["unit_price"], tuple(i["member_ids"]))
                for i in split.get("items", ())
            ),
            charges=ChargesInput(**{k: v for k, v in charges.items() if v is not None}),
            total=body.get("total"),
            date=dt.date.fromisoformat(raw_date) if isinstance(raw_date, str) else raw_date,
            currency=body.get("currency"),
            exchange_rate=body.get("exchange_rate"),
            category=body.get("category", "other"),
            notes=body.get("notes", ""),
        )
