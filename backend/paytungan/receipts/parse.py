"""From OCR'd receipt lines to items, charges and a total. Pure: no Django, no I/O.

Each line is taken as one of: item, charge, subtotal, total or ignored, and the result keeps that
decision per line so the user can see what was read and correct it. Amounts come out as integer
minor units of the given currency; a percent as a Decimal with at most two places.

Receipts seen here are Indonesian and English: "2 x 35.000", "2 @ 35.000", "@35.000", "Rp",
thousands with "." or ",", "PB1 10%", "Pajak", "Service 5%", "Diskon", "Subtotal", "Grand Total";
payment lines (Tunai, Cash, Kembali, Change), dates, phone numbers and addresses are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher
from typing import Literal

from paytungan.money import exponent, percent_of
from paytungan.splitting.charges import ParsedCharges, charge_totals
from paytungan.splitting.errors import FieldErrors

LineKind = Literal["item", "charge", "subtotal", "total", "ignored"]

MAX_QUANTITY = 999

# An amount: optional currency mark, digits with "." or "," thousands, optional decimals,
# an optional trailing ",-" (Indonesian for "no cents"). OCR reads "O" for "0" inside numbers,
# which _clean_digits fixes before this runs.
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<neg>[-(])?\s*(?:(?:rp|idr|usd|sgd|eur|\$|€|£|s\$)\.?\s*)?"
    r"(?P<num>\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?:,-)?\)?(?![\w%])",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?|100)\s*%")
_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|mei|may|jun|jul|agu|aug|sep|okt|oct|nov|des|dec)[a-z]*\s+\d{4}\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+62|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,5}\b")

# Whole words (or prefixes) that make a line something other than an item. Order matters:
# payment words are checked first ("Total Bayar Tunai" is a payment, not the total).
_PAYMENT = re.compile(
    r"\b(tunai|cash|kembali(an)?|change|kartu|card|debit|kredit|credit|qris|ovo|gopay|go-pay|dana"
    r"|shopeepay|edc|visa|master(card)?|bayar|paid|payment|pembayaran|tendered|amount paid)\b",
    re.IGNORECASE,
)
_GRAND_TOTAL = re.compile(
    r"\b(grand\s*total|total\s*(bayar|tagihan|belanja|harga|due|amount)|amount\s*due"
    r"|balance\s*due|total\s*akhir)\b",
    re.IGNORECASE,
)
_SUBTOTAL = re.compile(r"\b(sub\s*-?\s*total|subtota1|jumlah\s*harga|total\s*item\s*harga)\b", re.I)
_TOTAL = re.compile(r"\b(total|jumlah|tota1|t0tal)\b", re.IGNORECASE)
_COUNT_LINE = re.compile(
    r"\b(total\s*(item|qty|quantity|pcs)|jumlah\s*(item|barang|qty)|items?\s*:|qty\s*:|pax)\b",
    re.IGNORECASE,
)
_TAX = re.compile(r"\b(pb\s*[1il]|pbi\b|pajak|tax|ppn|vat|gst)", re.IGNORECASE)
_SERVICE = re.compile(r"\b(service|servis|svc|srv|layanan|s\.?c\.?|serv\.?)\b", re.IGNORECASE)
_DISCOUNT = re.compile(r"\b(diskon|discount|disc|potongan|promo|voucher|hemat)\b", re.IGNORECASE)
_CHARGE_WORD = re.compile(
    r"\b(pb\s*[1il]|pajak|tax|ppn|vat|gst|service|servis|diskon|discount|disc)", re.IGNORECASE
)
_TIP = re.compile(r"\b(tip|tips|gratuity)\b", re.IGNORECASE)
_ROUNDING = re.compile(r"\b(pembulatan|rounding|round)\b", re.IGNORECASE)
_NOISE = re.compile(
    r"\b(jl\.?|jalan|telp?\.?|phone|hp|npwp|kasir|cashier|server|waiter|pelayan|meja|table"
    r"|order|struk|receipt|invoice|nota|bill\s*no|no\.?\s*(struk|nota|bill|trx|transaksi)"
    r"|terima\s*kasih|thank|www\.|http|@gmail|instagram|wifi|password|kota|indonesia|rt\s*\d"
    r"|kec\.|kel\.|kab\.|guest|tamu|date|tanggal|tgl|time|jam|welcome|selamat)\b",
    re.IGNORECASE,
)
# Quantity x unit price, with or without a name before it: "2 x 35.000", "2 @ 35.000", "2x",
# "@35.000" (quantity 1), "x2".
_QTY_AT = re.compile(
    r"(?:(?<![\d.,])(?P<qty>\d{1,3})\s*(?:[x\u00d7*]|@)\s*|(?P<at>@)\s*)(?=(?:rp\.?\s*)?\d)", re.I
)
_LEAD_QTY = re.compile(r"^\s*(?P<qty>\d{1,3})\s*(?:[x\u00d7*]\s*|pcs\s+|\s)(?=\D)", re.IGNORECASE)
_TRAIL_QTY = re.compile(
    r"(?:\s[x\u00d7*]\s?(?P<q1>\d{1,3})|\s(?P<q2>\d{1,3})\s?(?:[x\u00d7]|pcs))\s*$", re.I
)
_NEGATIVE = re.compile(r"(?:^|\s)[-(]\s*(?:rp\.?\s*)?\d[\d.,]*\)?\s*$", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_NUMBERISH = re.compile(r"(?<![A-Za-z])[\dOo.,]*\d[\dOo.,]*(?![A-Za-z])")
_CURRENCY_MARK = re.compile(r"\b(rp|idr|usd|sgd|eur)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    unit_price: int


@dataclass
class Line:
    text: str
    kind: LineKind


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    read: int | None = None  # minor units
    computed: int | None = None


@dataclass
class Receipt:
    currency: str
    items: list[Item] = field(default_factory=list)
    discount: int = 0
    discount_percent: Decimal = Decimal(0)
    service_percent: Decimal = Decimal(0)
    tax_percent: Decimal = Decimal(0)
    tip: int = 0
    subtotal: int | None = None  # as printed
    total: int | None = None  # as printed
    computed_total: int | None = None  # from the items and charges read
    lines: list[Line] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def items_subtotal(self) -> int:
        return sum(item.quantity * item.unit_price for item in self.items)

    @property
    def charges(self) -> ParsedCharges:
        return ParsedCharges(
            self.discount, self.discount_percent, self.service_percent, self.tax_percent, self.tip
        )


def _clean_digits(text: str) -> str:
    """OCR confusions inside numbers: O/o for 0, l/I for 1, a space after a thousands dot."""
    text = _NUMBERISH.sub(lambda m: m.group(0).replace("O", "0").replace("o", "0"), text)
    text = re.sub(r"(?<=\d[.,])\s(?=\d{3}\b)", "", text)
    # "@45.000" read as "(945.000" or "(45.000".
    text = re.sub(r"(?<=\s)\(9?(?=\d{1,3}[.,]\d{3}\b)", "@", text)
    return text


# Labels OCR tends to garble ("TCTAL", "Pajax", "Tanai"): a first word this close to one of them
# is read as it. Only labels, never item names: they apply to a one-word label with one amount.
_LABELS = (
    "total",
    "subtotal",
    "tunai",
    "kembali",
    "cash",
    "change",
    "pajak",
    "diskon",
    "discount",
    "service",
    "tax",
)


def _fuzzy_label(text: str) -> str:
    match = re.match(r"^\s*([A-Za-z][A-Za-z'!:;.]{2,})(\s+(?:\d[\d.,]*\s*[%8]\s+)?)(?=.*\d)", text)
    if match is None or len(_AMOUNT.findall(text)) > 2:
        return text
    word = re.sub(r"[^a-z]", "", match.group(1).lower())
    if word in _LABELS:
        return text
    best = max(_LABELS, key=lambda label: SequenceMatcher(None, word, label).ratio())
    if SequenceMatcher(None, word, best).ratio() >= 0.75:
        return best + text[match.end(1) :]
    return text


def amount_to_minor(num: str, currency: str) -> int | None:
    """ "35.000" / "35,000" / "1.250.000" / "12.50" / "1,234.56" / "1.234,56" -> minor units."""
    places = exponent(currency)
    whole, frac = num, ""
    match = re.fullmatch(r"(.*?)[.,](\d{1,2})", num)
    if match and (re.fullmatch(r"\d+|\d{1,3}(?:[.,]\d{3})+", match.group(1))):
        whole, frac = match.group(1), match.group(2)
    digits = re.sub(r"[.,]", "", whole)
    if not digits.isdigit():
        return None
    value = Decimal(digits)
    if frac:
        value += Decimal(frac) / (Decimal(10) ** len(frac))
    minor = (value * (Decimal(10) ** places)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(minor)


Amount = tuple[int, int, int, str]  # start, end, minor units, the digits as read


def _amounts(text: str, currency: str) -> list[Amount]:
    """Each amount in the line, percents excluded."""
    found = []
    for match in _AMOUNT.finditer(text):
        minor = amount_to_minor(match.group("num"), currency)
        if minor is not None:
            found.append((match.start(), match.end(), minor, match.group("num")))
    return found


def _readings(num: str, currency: str) -> list[tuple[int, int]]:
    """(changes, minor) for the amount as read and with Tesseract's usual misreads of a zero
    (6, 8, 9 for a dotted or slashed 0) undone, fewest changes first."""
    spots = [i for i, ch in enumerate(num) if i > 0 and ch in "689"][:5]
    found = []
    for mask in range(1 << len(spots)):
        chars = list(num)
        for bit, spot in enumerate(spots):
            if mask >> bit & 1:
                chars[spot] = "0"
        minor = amount_to_minor("".join(chars), currency)
        if minor is not None:
            found.append((bin(mask).count("1"), minor))
    return sorted(found)


def _agree(quantity: int, unit: Amount, line_total: Amount, currency: str) -> int | None:
    """The unit price that makes quantity x unit = line total with the fewest digits undone."""
    best: tuple[int, int] | None = None
    totals = dict(
        (minor, changes) for changes, minor in reversed(_readings(line_total[3], currency))
    )
    for changes, minor in _readings(unit[3], currency):
        if quantity * minor in totals:
            cost = changes + totals[quantity * minor]
            if best is None or cost < best[0]:
                best = (cost, minor)
    return best[1] if best is not None else None


def _percent(text: str) -> Decimal | None:
    match = _PERCENT.search(text)
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", "."))
    return value if value <= 100 else None


def _clean_name(text: str) -> str:
    name = re.sub(r"(?:rp\.?|idr)\s*$", "", text.strip(), flags=re.IGNORECASE)
    name = re.sub(r"^[^\w(]+|[^\w)]+$", "", name)
    return re.sub(r"\s+", " ", name).strip()


def _item_from(text: str, currency: str, amounts: list[Amount]) -> Item | None:
    """An item from a line with at least one amount; None when it doesn't look like one."""
    qty_at = _QTY_AT.search(text)
    if qty_at is not None:
        quantity = int(qty_at.group("qty")) if qty_at.group("qty") else 1
        name = text[: qty_at.start()]
        lead = _LEAD_QTY.match(name)
        if qty_at.group("at") and lead is not None:
            # "2 Club Sandwich @24.10  48.20": the quantity leads, "@" gives the unit price.
            quantity, name = int(lead.group("qty")), name[lead.end() :]
        after = [a for a in amounts if a[0] >= qty_at.end() - 1]
        if not after or quantity <= 0:
            return None
        unit_price = after[0][2]
        if len(after) >= 2:
            agreed = _agree(quantity, after[0], after[-1], currency)
            if agreed is not None:
                unit_price = agreed
            elif after[-1][2] % quantity == 0:
                unit_price = after[-1][2] // quantity
        return Item(_clean_name(name), quantity, unit_price)
    quantity = 1
    lead = _LEAD_QTY.match(text)
    if lead is not None:
        quantity = int(lead.group("qty"))
        amounts = [a for a in amounts if a[0] >= lead.end()]
        if not amounts:
            return None
    head = text[lead.end() if lead is not None else 0 : amounts[0][0]]
    if lead is None:
        trail = _TRAIL_QTY.search(head)
        if trail is not None:
            quantity = int(trail.group("q1") or trail.group("q2"))
            head = head[: trail.start()]
    name = _clean_name(head)
    if not _LETTERS.search(name) or quantity <= 0:
        return None
    values = [a[2] for a in amounts]
    if len(values) >= 2:
        # Table layout: name, quantity, unit price, line total.
        agreed = _agree(quantity, amounts[-2], amounts[-1], currency)
        if agreed is not None and (quantity > 1 or len(values) == 2 or values[-3] == 1):
            return Item(name, quantity, agreed)
        if len(values) >= 3 and amounts[-3][3].isdigit() and 0 < int(amounts[-3][3]) <= 99:
            qty = int(amounts[-3][3])
            agreed = _agree(qty, amounts[-2], amounts[-1], currency)
            if agreed is not None:
                return Item(name, qty, agreed)
    if len(values) >= 2 and quantity == 1:
        small = values[-2] // (10 ** exponent(currency))
        if 0 < small <= MAX_QUANTITY and values[-2] % (10 ** exponent(currency)) == 0:
            unit, rem = divmod(values[-1], small)
            if rem == 0 and small > 1:
                # "Es Teh  3  15.000": a quantity column and the line total.
                return Item(name, small, unit)
    line_total = values[-1]
    if quantity > 1 and line_total % quantity == 0:
        return Item(name, quantity, line_total // quantity)
    return Item(name, 1 if quantity > 1 and line_total % quantity else quantity, line_total)


def _percent_for(amount: int, base: int) -> Decimal:
    """The two-place percent that gives `amount` of `base`, closest first."""
    if base <= 0:
        return Decimal(0)
    exact = (Decimal(amount) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for candidate in (exact.quantize(Decimal(1), ROUND_HALF_UP), exact):
        if percent_of(base, candidate) == amount:
            return candidate.normalize() if candidate == candidate.to_integral() else candidate
    return exact


def parse_receipt(texts: Sequence[str], *, currency: str) -> Receipt:
    receipt = Receipt(currency=currency)
    grand_total: int | None = None
    plain_total: int | None = None
    seen_total = False
    # Charges whose percent isn't printed are resolved after the items are known.
    tax_amount: int | None = None
    service_amount: int | None = None
    discount_amount = 0
    pending_name: int | None = None  # index into lines of a name-only line

    for raw in texts:
        text = _fuzzy_label(_clean_digits(raw.strip()))
        if not text:
            continue
        line = Line(raw.strip(), "ignored")
        receipt.lines.append(line)
        amounts = _amounts(text, currency)
        percent = _percent(text)
        if percent is None and len(amounts) >= 2 and _CHARGE_WORD.search(text):
            # "10%" read as "108": a charge line's first number with a stray 8 for the % sign.
            misread = re.fullmatch(r"(\d{1,2})8", amounts[0][3])
            if misread is not None:
                percent = Decimal(misread.group(1))
                amounts = amounts[1:]
        # Amounts that are really the percent ("10" of "10%") don't count.
        amounts = [a for a in amounts if not text[a[1] : a[1] + 2].lstrip().startswith("%")]
        is_date = bool(_DATE.search(text))
        if is_date:
            amounts = [a for a in amounts if not _DATE.search(text[max(0, a[0] - 6) : a[1] + 6])]
        name_only = pending_name
        pending_name = None

        if _PHONE.search(text) and not _TOTAL.search(text):
            continue
        if _PAYMENT.search(text) and not _GRAND_TOTAL.search(text.replace("bayar", "")):
            continue
        if _COUNT_LINE.search(text):
            continue
        if _ROUNDING.search(text):
            continue
        if _SUBTOTAL.search(text):
            if amounts:
                line.kind = "subtotal"
                receipt.subtotal = amounts[-1][2]
            continue
        if _GRAND_TOTAL.search(text) and amounts:
            line.kind = "total"
            grand_total = amounts[-1][2]
            seen_total = True
            continue
        if _TOTAL.search(text) and amounts:
            line.kind = "total"
            plain_total = amounts[-1][2]
            seen_total = True
            continue
        if _DISCOUNT.search(text) and (amounts or percent is not None):
            line.kind = "charge"
            if percent is not None:
                receipt.discount_percent += percent
            elif amounts:
                discount_amount += amounts[-1][2]
            continue
        if _SERVICE.search(text) and (amounts or percent is not None):
            line.kind = "charge"
            if percent is not None:
                receipt.service_percent = percent
            else:
                service_amount = amounts[-1][2]
            continue
        if _TAX.search(text) and (amounts or percent is not None):
            line.kind = "charge"
            if percent is not None:
                receipt.tax_percent = percent
            else:
                tax_amount = amounts[-1][2]
            continue
        if _TIP.search(text) and amounts:
            line.kind = "charge"
            receipt.tip += amounts[-1][2]
            continue
        if receipt.subtotal is not None and amounts and _NEGATIVE.search(text):
            # Below the subtotal a deducted amount is a discount, whatever OCR made of its name.
            line.kind = "charge"
            if percent is not None:
                receipt.discount_percent += percent
            else:
                discount_amount += amounts[-1][2]
            continue
        if seen_total or (is_date and not amounts) or _NOISE.search(text):
            # Past the total only payments and footers follow.
            continue
        if not amounts:
            if _LETTERS.search(text) and not _DATE.search(text):
                pending_name = len(receipt.lines) - 1
            continue
        if name_only is not None and not _LETTERS.search(_CURRENCY_MARK.sub("", text)):
            # Two-line layout: the name, then "2 x 35.000   70.000" below it.
            name_line = receipt.lines[name_only]
            joined = f"{_clean_digits(name_line.text)} {text}"
            item = _item_from(joined, currency, _amounts(joined, currency))
            if item is not None:
                item = Item(
                    _clean_name(_clean_digits(name_line.text)), item.quantity, item.unit_price
                )
                name_line.kind = "item"
                line.kind = "item"
                receipt.items.append(item)
            continue
        item = _item_from(text, currency, amounts)
        if item is not None and item.name and item.quantity <= MAX_QUANTITY:
            line.kind = "item"
            receipt.items.append(item)

    receipt.total = grand_total if grand_total is not None else plain_total
    _resolve_charges(receipt, tax_amount, service_amount, discount_amount)
    _check_totals(receipt)
    return receipt


def _resolve_charges(
    receipt: Receipt, tax_amount: int | None, service_amount: int | None, discount: int
) -> None:
    subtotal = receipt.items_subtotal
    if receipt.discount_percent and discount:
        # "Diskon 10%  -12.000": the percent and its amount on one line; keep the percent.
        discount = 0
    receipt.discount = discount
    discounted = subtotal - discount - percent_of(subtotal, receipt.discount_percent)
    if service_amount is not None:
        receipt.service_percent = _percent_for(service_amount, discounted)
    service = percent_of(discounted, receipt.service_percent)
    if tax_amount is not None:
        receipt.tax_percent = _percent_for(tax_amount, discounted + service)


def _check_totals(receipt: Receipt) -> None:
    errors = FieldErrors()
    totals = charge_totals(receipt.items_subtotal, receipt.charges, receipt.currency, errors)
    receipt.computed_total = totals.total if totals is not None else None
    if receipt.subtotal is not None and receipt.subtotal != receipt.items_subtotal:
        receipt.warnings.append(
            Warning(
                "subtotal_mismatch",
                "The subtotal printed on the receipt differs from the items read: check them.",
                receipt.subtotal,
                receipt.items_subtotal,
            )
        )
    if receipt.total is None:
        receipt.warnings.append(Warning("total_not_found", "No total was read."))
    elif receipt.computed_total != receipt.total:
        receipt.warnings.append(
            Warning(
                "total_mismatch",
                "The total printed on the receipt differs from the items and charges read: "
                "check them.",
                receipt.total,
                receipt.computed_total,
            )
        )
    if not receipt.items:
        receipt.warnings.append(Warning("no_items", "No items were read."))
