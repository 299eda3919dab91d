"""Receipt lines of an itemized bill: quantity x unit price, shared by the ticked members."""

from collections.abc import Sequence
from dataclasses import dataclass

from paytungan.money import MAX_AMOUNT
from paytungan.money.text import Text as _
from paytungan.splitting.errors import FieldErrors
from paytungan.splitting.fields import amount_field, member_id_field, money_text
from paytungan.splitting.inputs import ItemInput

MAX_QUANTITY = 10_000


@dataclass(frozen=True)
class ParsedItem:
    name: str
    quantity: int
    unit_price: int
    member_ids: tuple[int, ...]  # sorted, distinct

    @property
    def line_total(self) -> int:
        return self.quantity * self.unit_price


def parse_items(
    items: Sequence[ItemInput], currency: str, errors: FieldErrors
) -> list[ParsedItem] | None:
    """Parsed items in input order (the order is part of the bill), or None when any is invalid."""
    if len(items) == 0:
        errors.add("split.items", _("Add at least one item."))
        return None
    parsed = [_parse_item(index, item, currency, errors) for index, item in enumerate(items)]
    valid = [item for item in parsed if item is not None]
    return valid if len(valid) == len(parsed) else None


def _parse_item(
    index: int, item: ItemInput, currency: str, errors: FieldErrors
) -> ParsedItem | None:
    path = f"split.items.{index}"
    valid = True
    if not isinstance(item.name, str):
        errors.add(f"{path}.name", _("Name must be text, got {value}.", value=repr(item.name)))
        valid = False
    quantity_ok = isinstance(item.quantity, int) and not isinstance(item.quantity, bool)
    if not quantity_ok or not 1 <= item.quantity <= MAX_QUANTITY:
        errors.add(
            f"{path}.quantity",
            _(
                "Quantity must be a whole number from 1 to {maximum}, got {value}.",
                maximum=MAX_QUANTITY,
                value=repr(item.quantity),
            ),
        )
        valid = False
    unit_price = amount_field(
        item.unit_price, currency, f"{path}.unit_price", errors, label=_("Unit price")
    )
    member_ids = _parse_member_ids(item.member_ids, f"{path}.member_ids", errors)
    if unit_price is None or member_ids is None or not valid:
        return None
    parsed = ParsedItem(item.name, item.quantity, unit_price, member_ids)
    if parsed.line_total > MAX_AMOUNT:
        errors.add(
            f"{path}.unit_price",
            _(
                "Quantity x unit price is {amount}, more than the maximum of {maximum}.",
                amount=money_text(parsed.line_total, currency),
                maximum=money_text(MAX_AMOUNT, currency),
            ),
        )
        return None
    return parsed


def _parse_member_ids(
    member_ids: Sequence[int], path: str, errors: FieldErrors
) -> tuple[int, ...] | None:
    if len(member_ids) == 0:
        errors.add(path, _("Choose at least one person who had this item."))
        return None
    seen: set[int] = set()
    for member_id in member_ids:
        if not member_id_field(member_id, path, errors):
            return None
        if member_id in seen:
            errors.add(path, _("Member {member_id} is ticked more than once.", member_id=member_id))
            return None
        seen.add(member_id)
    return tuple(sorted(seen))
