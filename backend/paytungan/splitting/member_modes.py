"""The modes that split a given total over listed members: equal, exact, percent, shares.

Each member value is parsed into integer ``units``: minor units (exact), hundredths of a percent
(percent), ten-thousandths of a share (shares) or 1 (equal), so the split itself is integer-only.

In equal mode a member's value must be absent (null) rather than silently ignored: a value there
usually means the client meant another mode, and money input is never dropped without a word.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from paytungan.money import allocate, to_decimal_string
from paytungan.money.text import Text as _
from paytungan.splitting.canonical import canonical_decimal
from paytungan.splitting.errors import FieldErrors
from paytungan.splitting.fields import (
    PERCENT_PLACES,
    amount_field,
    decimal_field,
    member_id_field,
    money_text,
    percent_field,
)
from paytungan.splitting.inputs import MemberValueInput

MEMBER_MODES = ("equal", "exact", "percent", "shares")
SHARE_PLACES = 4
_PERCENT_UNITS_TOTAL = 100 * 10**PERCENT_PLACES


@dataclass(frozen=True)
class ParsedMember:
    member_id: int
    units: int
    canonical: str | None  # the value as it enters the tie key


def parse_members(
    mode: str,
    members: Sequence[MemberValueInput],
    currency: str,
    total: int | None,
    errors: FieldErrors,
) -> list[ParsedMember] | None:
    """Parsed members sorted by id, or None when anything is invalid (errors recorded)."""
    if len(members) == 0:
        errors.add("split.members", _("Add at least one member to split between."))
        return None
    parsed: list[ParsedMember] = []
    seen: set[int] = set()
    valid = True
    for index, member in enumerate(members):
        if not member_id_field(member.member_id, f"split.members.{index}.member_id", errors):
            valid = False
        elif member.member_id in seen:
            errors.add(
                "split.members",
                _("Member {member_id} is listed more than once.", member_id=member.member_id),
            )
            valid = False
        else:
            seen.add(member.member_id)
        value = _parse_value(mode, member.value, currency, f"split.members.{index}.value", errors)
        if value is None:
            valid = False
        else:
            parsed.append(ParsedMember(member.member_id, *value))
    if not valid:
        return None
    parsed.sort(key=lambda member: member.member_id)
    return parsed if _check_totals(mode, parsed, currency, total, errors) else None


def split_members(
    mode: str, members: Sequence[ParsedMember], total: int, tie_key: str
) -> dict[int, int]:
    """Share per member id; the shares always sum to ``total``."""
    if mode == "exact":
        return {member.member_id: member.units for member in members}
    parts = allocate(total, [member.units for member in members], f"{tie_key}:{mode}")
    return {member.member_id: part for member, part in zip(members, parts, strict=True)}


def _parse_value(
    mode: str, raw: str | None, currency: str, path: str, errors: FieldErrors
) -> tuple[int, str | None] | None:
    if mode == "equal":
        if raw is not None:
            errors.add(path, _("Leave value empty (null) in equal mode: everyone pays the same."))
            return None
        return 1, None
    if raw is None:
        errors.add(path, _("A value is required in {mode} mode.", mode=mode))
        return None
    if mode == "exact":
        amount = amount_field(raw, currency, path, errors, label=_("Amount"))
        return None if amount is None else (amount, to_decimal_string(amount, currency))
    decimal: Decimal | None
    if mode == "percent":
        decimal = percent_field(raw, path, errors, label=_("Percent"))
        places = PERCENT_PLACES
    else:
        decimal = decimal_field(raw, path, errors, label=_("Share"), max_places=SHARE_PLACES)
        places = SHARE_PLACES
    # Exact: parsing guarantees at most ``places`` decimals.
    return None if decimal is None else (int(decimal.scaleb(places)), canonical_decimal(decimal))


def _check_totals(
    mode: str,
    members: Sequence[ParsedMember],
    currency: str,
    total: int | None,
    errors: FieldErrors,
) -> bool:
    units = sum(member.units for member in members)
    if mode == "exact" and total is not None and units != total:
        params = {
            "sum": money_text(units, currency),
            "difference": money_text(abs(units - total), currency),
            "total": money_text(total, currency),
        }
        if units > total:
            message = _(
                "Member amounts add up to {sum}, {difference} more than the total of {total}.",
                **params,
            )
        else:
            message = _(
                "Member amounts add up to {sum}, {difference} less than the total of {total}.",
                **params,
            )
        errors.add("split.members", message)
        return False
    if mode == "percent" and units != _PERCENT_UNITS_TOTAL:
        percent_total = canonical_decimal(Decimal(units).scaleb(-PERCENT_PLACES))
        errors.add("split.members", _("Percents add up to {sum}, not 100.", sum=percent_total))
        return False
    if mode == "shares" and units == 0:
        errors.add("split.members", _("At least one member needs a share greater than zero."))
        return False
    return True
