"""The shared golden bills (tests/golden/bills/*.json) against the pure core.

The same files are checked by frontend/src/lib/split.test.ts against the browser's arithmetic,
so the live preview and the saved bill cannot drift apart. A body is handed to compute_bill the
way bills/compute.py hands it over: raw strings, members and items in body order.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from paytungan.splitting import (
    BillInput,
    BillResult,
    ChargesInput,
    ItemInput,
    MemberValueInput,
    PayerInput,
    compute_bill,
    convert_result,
)

GOLDEN = Path(__file__).resolve().parents[4] / "tests" / "golden" / "bills"
CASES = sorted(GOLDEN.glob("*.json"))


def _input(body: dict[str, Any]) -> BillInput:
    split = body["split"]
    return BillInput(
        currency=body["currency"],
        mode=split["mode"],
        payers=tuple(PayerInput(p["member_id"], p["amount"]) for p in body["payers"]),
        members=tuple(
            MemberValueInput(m["member_id"], m.get("value")) for m in split.get("members", [])
        ),
        items=tuple(
            ItemInput(i["name"], i.get("quantity", 1), i["unit_price"], tuple(i["member_ids"]))
            for i in split.get("items", [])
        ),
        charges=ChargesInput(**split.get("charges", {})),
        total=body.get("total"),
        title=body["title"],
        date=body["date"],
    )


def _as_json(result: BillResult, *, breakdown: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "currency": result.currency,
        "total": result.total,
        "paid": {str(k): v for k, v in result.paid.items()},
        "shares": {str(k): v for k, v in result.shares.items()},
    }
    if breakdown:
        out["breakdown"] = (
            None
            if result.breakdown is None
            else {
                str(k): {
                    "items": b.items,
                    "discount": b.discount,
                    "service": b.service,
                    "tax": b.tax,
                    "tip": b.tip,
                    "total": b.total,
                }
                for k, b in result.breakdown.items()
            }
        )
    return out


def test_there_are_golden_bills_for_every_mode() -> None:
    modes = {json.loads(path.read_text())["body"]["split"]["mode"] for path in CASES}
    assert modes == {"equal", "exact", "percent", "shares", "itemized"}


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_golden_bill_splits_as_written(path: Path) -> None:
    case = json.loads(path.read_text())
    body, expected = case["body"], case["expected"]
    original = compute_bill(_input(body))
    assert _as_json(original, breakdown=True) == expected["original"]
    # The file itself must add up, whatever the implementation says.
    assert sum(expected["original"]["shares"].values()) == expected["original"]["total"]
    assert sum(expected["original"]["paid"].values()) == expected["original"]["total"]
    if body["currency"] == case["group_currency"]:
        assert "converted" not in expected
        return
    converted = convert_result(
        original, to_currency=case["group_currency"], rate=body["exchange_rate"]
    )
    assert _as_json(converted, breakdown=False) == expected["converted"]
    assert sum(expected["converted"]["shares"].values()) == expected["converted"]["total"]
