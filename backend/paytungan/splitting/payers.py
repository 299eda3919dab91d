"""Who paid how much: distinct members, each a positive amount, together exactly the total."""

from collections.abc import Sequence

from paytungan.money.text import Text as _
from paytungan.splitting.errors import FieldErrors
from paytungan.splitting.fields import amount_field, member_id_field, money_text
from paytungan.splitting.inputs import PayerInput


def parse_payers(
    payers: Sequence[PayerInput], currency: str, errors: FieldErrors
) -> dict[int, int] | None:
    """Paid amount per member id (sorted by id), or None when any payer is invalid."""
    if len(payers) == 0:
        errors.add("payers", _("Add at least one payer."))
        return None
    paid: dict[int, int] = {}
    seen: set[int] = set()
    valid = True
    for index, payer in enumerate(payers):
        id_path = f"payers.{index}.member_id"
        if not member_id_field(payer.member_id, id_path, errors):
            valid = False
        elif payer.member_id in seen:
            errors.add(
                id_path,
                _(
                    "Member {member_id} is listed as a payer more than once.",
                    member_id=payer.member_id,
                ),
            )
            valid = False
        else:
            seen.add(payer.member_id)
        amount = amount_field(
            payer.amount,
            currency,
            f"payers.{index}.amount",
            errors,
            label=_("Amount"),
            allow_zero=False,
        )
        if amount is None:
            valid = False
        elif valid:
            paid[payer.member_id] = amount
    return dict(sorted(paid.items())) if valid else None


def check_payers_match_total(
    paid: dict[int, int], total: int, currency: str, errors: FieldErrors
) -> None:
    paid_total = sum(paid.values())
    if paid_total != total:
        errors.add(
            "payers",
            _(
                "Payers paid {paid} in all, but the total is {total}.",
                paid=money_text(paid_total, currency),
                total=money_text(total, currency),
            ),
        )
