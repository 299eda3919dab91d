"""The bills of a group, for the group services (registered in groups.contents by apps.py)."""

from __future__ import annotations

from paytungan.bills.models import Bill, BillDebt, BillPayer, BillShare
from paytungan.groups.contents import Contents


def _exists(group_id: int) -> bool:
    return Bill.objects.filter(group_id=group_id).exists()


def _delete(group_id: int) -> None:
    """Bill rows protect their members from deletion (history must never lose a member), so
    they go before the bills, and the bills before the group."""
    for model in (BillDebt, BillShare, BillPayer):
        model.objects.filter(bill__group_id=group_id).delete()
    Bill.objects.filter(group_id=group_id).delete()


BILLS = Contents(name="bills", exists=_exists, delete=_delete)
