"""Discount, service, tax and tip on an itemized bill, each rounded once before allocation.

Order (DESIGN.md): discount off the items (amount plus percent of the subtotal), service percent
of the discounted subtotal, tax percent of (discounted subtotal + service), then the tip.
"""

from dataclasses import dataclass
from decimal import Decimal

from paytungan.money import MAX_AMOUNT, percent_of, to_decimal_string
from paytungan.money.text import Text as _
from paytungan.splitting.canonical import canonical_decimal
from paytungan.splitting.errors import FieldErrors
from paytungan.splitting.fields import amount_field, money_text, percent_field
from paytungan.splitting.inputs import ChargesInput

CHARGE_FIELDS = ("discount", "discount_percent", "service_percent", "tax_percent", "tip")
_LABELS = {
    "discount": _("Discount"),
    "discount_percent": _("Discount percent"),
    "service_percent": _("Service percent"),
    "tax_percent": _("Tax percent"),
    "tip": _("Tip"),
}


@dataclass(frozen=True)
class ParsedCharges:
    discount: int
    discount_percent: Decimal
    service_percent: Decimal
    tax_percent: Decimal
    tip: int


@dataclass(frozen=True)
class ChargeTotals:
    """Bill-level amounts in minor units; total = subtotal - discount + service + tax + tip."""

    subtotal: int
    discount: int
    service: int
    tax: int
    tip: int

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.service + self.tax + self.tip


NO_CHARGES = ParsedCharges(0, Decimal(0), Decimal(0), Decimal(0), 0)


def canonical_charges(charges: ParsedCharges, currency: str) -> dict[str, str]:
    return {
        "discount": to_decimal_string(charges.discount, currency),
        "discount_percent": canonical_decimal(charges.discount_percent),
        "service_percent": canonical_decimal(charges.service_percent),
        "tax_percent": canonical_decimal(charges.tax_percent),
        "tip": to_decimal_string(charges.tip, currency),
    }


def parse_charges(
    charges: ChargesInput, currency: str, errors: FieldErrors
) -> ParsedCharges | None:
    amounts: dict[str, int | None] = {}
    percents: dict[str, Decimal | None] = {}
    for name in CHARGE_FIELDS:
        raw = getattr(charges, name)
        path = f"split.charges.{name}"
        if name.endswith("_percent"):
            percents[name] = percent_field(raw, path, errors, label=_LABELS[name])
        else:
            amounts[name] = amount_field(raw, currency, path, errors, label=_LABELS[name])
    discount, tip = amounts["discount"], amounts["tip"]
    discount_percent = percents["discount_percent"]
    service_percent, tax_percent = percents["service_percent"], percents["tax_percent"]
    if (
        discount is None
        or tip is None
        or discount_percent is None
        or service_percent is None
        or tax_percent is None
    ):
        return None
    return ParsedCharges(discount, discount_percent, service_percent, tax_percent, tip)


def reject_charges(charges: ChargesInput, currency: str, errors: FieldErrors) -> None:
    """Charges only exist on itemized bills; elsewhere each must be absent or zero."""
    parsed = parse_charges(charges, currency, FieldErrors())
    for name in CHARGE_FIELDS:
        if parsed is None or getattr(parsed, name) != 0:
            errors.add(
                f"split.charges.{name}",
                _(
                    "{label} applies only to itemized bills; "
                    "include it in the total instead and leave this 0.",
                    label=_LABELS[name],
                ),
            )
            return


def charge_totals(
    subtotal: int, charges: ParsedCharges, currency: str, errors: FieldErrors
) -> ChargeTotals | None:
    """Bill-level charge amounts, or None (errors recorded) when they make no sense."""
    discount = charges.discount + percent_of(subtotal, charges.discount_percent)
    if discount > subtotal:
        errors.add(
            "split.charges.discount",
            _(
                "Discount {discount} is more than the items' subtotal {subtotal}.",
                discount=money_text(discount, currency),
                subtotal=money_text(subtotal, currency),
            ),
        )
        return None
    if subtotal == 0 and charges.tip > 0:
        # Charges are shared in proportion to item subtotals; with every item free there is
        # no proportion to follow.
        errors.add("split.charges.tip", _("A tip cannot be shared when every item is free."))
        return None
    discounted = subtotal - discount
    service = percent_of(discounted, charges.service_percent)
    tax = percent_of(discounted + service, charges.tax_percent)
    totals = ChargeTotals(subtotal, discount, service, tax, charges.tip)
    if totals.total <= 0:
        errors.add("total", _("The bill total must be greater than zero."))
        return None
    if totals.total > MAX_AMOUNT:
        errors.add(
            "total",
            _(
                "The computed total {total} is more than the maximum of {maximum}.",
                total=money_text(totals.total, currency),
                maximum=money_text(MAX_AMOUNT, currency),
            ),
        )
        return None
    return totals
