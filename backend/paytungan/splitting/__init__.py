"""Splitting: a bill body in, exact per-member shares out. Pure Python; no Django import."""

from paytungan.splitting.compute import MODES, compute_bill, itemized_total
from paytungan.splitting.convert import convert_result
from paytungan.splitting.debts import bill_debts
from paytungan.splitting.errors import SplitError
from paytungan.splitting.inputs import (
    BillInput,
    ChargesInput,
    ItemInput,
    MemberValueInput,
    PayerInput,
)
from paytungan.splitting.results import BillResult, Breakdown

__all__ = [
    "MODES",
    "BillInput",
    "BillResult",
    "Breakdown",
    "ChargesInput",
    "ItemInput",
    "MemberValueInput",
    "PayerInput",
    "SplitError",
    "bill_debts",
    "compute_bill",
    "convert_result",
    "itemized_total",
]
