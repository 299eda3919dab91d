"""Settling: balances in, transfers out. Pure Python (plus numpy); no Django import."""

from paytungan.settling.errors import SettleError
from paytungan.settling.transfers import Transfer, pairwise, settle
from paytungan.settling.zero_sum_groups import MAX_EXACT_MEMBERS

__all__ = ["MAX_EXACT_MEMBERS", "SettleError", "Transfer", "pairwise", "settle"]
