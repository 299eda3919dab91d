"""Receipts with ground truth, rendered in several fonts and layouts, then optionally degraded
like a phone photo (rotation up to 10 degrees, uneven light, noise, blur, JPEG artefacts).

Used by the receipt benchmark (tools/receipts/bench.py) and by the accuracy test in make test.
Deterministic for a given seed. Not part of the deployed package.
"""

from __future__ import annotations

import io
import random
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype")]
FONTS = [
    "dejavu/DejaVuSansMono.ttf",
    "liberation/LiberationMono-Regular.ttf",
    "freefont/FreeMono.ttf",
    "dejavu/DejaVuSans.ttf",
    "liberation/LiberationSans-Regular.ttf",
    "freefont/FreeSans.ttf",
]
LAYOUTS = ["inline", "two_line", "table", "lead_qty"]

ID_ITEMS = [
    "Nasi Goreng Spesial",
    "Mie Goreng",
    "Sate Ayam",
    "Es Teh Manis",
    "Ayam Bakar",
    "Soto Betawi",
    "Bakso Urat",
    "Gado Gado",
    "Kopi Susu",
    "Es Jeruk",
    "Tahu Telor",
    "Nasi Putih",
    "Kerupuk",
    "Jus Alpukat",
    "Pisang Goreng",
    "Rendang Sapi",
    "Cap Cay",
    "Ikan Bakar",
    "Teh Tarik",
    "Air Mineral",
]
EN_ITEMS = [
    "Latte",
    "Cappuccino",
    "Croissant",
    "Caesar Salad",
    "Beef Burger",
    "French Fries",
    "Club Sandwich",
    "Iced Tea",
    "Pasta Carbonara",
    "Chicken Wings",
    "Orange Juice",
    "Chocolate Cake",
    "Fish and Chips",
    "Mineral Water",
    "Soup of the Day",
    "Espresso",
]
ID_SHOPS = ["WARUNG MAKAN SEDERHANA", "RM PADANG SEJAHTERA", "KEDAI KOPI NUSANTARA", "BAKMI JAYA"]
EN_SHOPS = ["THE COFFEE HOUSE", "BLUE DOOR BISTRO", "CORNER DINER", "HARBOUR CAFE"]


@dataclass
class Truth:
    currency: str
    items: list[tuple[str, int, int]]  # name, quantity, unit price (minor units)
    discount: int = 0
    discount_percent: str = "0"
    service_percent: str = "0"
    tax_percent: str = "0"
    tip: int = 0
    total: int = 0
    layout: str = ""
    font: str = ""
    lines: list[str] = field(default_factory=list)


def _font_path(name: str) -> str:
    for base in FONT_DIRS:
        if (base / name).exists():
            return str(base / name)
    raise FileNotFoundError(
        f"font {name} (install fonts-dejavu-core fonts-liberation fonts-freefont-ttf)"
    )


def fmt(minor: int, currency: str) -> str:
    if currency == "IDR":
        return f"{minor:,}".replace(",", ".")
    return f"{minor // 100:,}.{minor % 100:02d}"


def _percent_of(amount: int, percent: Decimal) -> int:
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def make_truth(rng: random.Random) -> Truth:
    currency = rng.choice(["IDR", "IDR", "USD"])
    indonesian = currency == "IDR"
    names = rng.sample(ID_ITEMS if indonesian else EN_ITEMS, rng.randint(2, 7))
    items = []
    for name in names:
        qty = rng.choice([1, 1, 1, 2, 2, 3, 4])
        unit = rng.randrange(5, 120) * 1000 if indonesian else rng.randrange(150, 2500, 5)
        items.append((name, qty, unit))
    truth = Truth(currency=currency, items=items, layout=rng.choice(LAYOUTS))
    subtotal = sum(q * u for _, q, u in items)
    if rng.random() < 0.3:
        truth.discount_percent = str(rng.choice([5, 10, 15, 20]))
    elif rng.random() < 0.2:
        truth.discount = (rng.randrange(1, 5) * 5000) if indonesian else rng.randrange(100, 500, 50)
        truth.discount = min(truth.discount, subtotal // 2)
    if rng.random() < 0.6:
        truth.service_percent = str(rng.choice([5, 10]))
    if rng.random() < 0.8:
        truth.tax_percent = str(rng.choice([10, 11] if indonesian else [8, 9, 10]))
    if not indonesian and rng.random() < 0.3:
        truth.tip = rng.randrange(100, 800, 50)
    discount = truth.discount + _percent_of(subtotal, Decimal(truth.discount_percent))
    discounted = subtotal - discount
    service = _percent_of(discounted, Decimal(truth.service_percent))
    tax = _percent_of(discounted + service, Decimal(truth.tax_percent))
    truth.total = discounted + service + tax + truth.tip
    truth.lines = _text_lines(truth, rng, subtotal, discount, service, tax)
    return truth


def _row(left: str, right: str, width: int = 36) -> str:
    return f"{left}{' ' * max(2, width - len(left) - len(right))}{right}"


def _text_lines(
    t: Truth, rng: random.Random, subtotal: int, discount: int, service: int, tax: int
) -> list[str]:
    idn = t.currency == "IDR"
    c = t.currency
    lines = [rng.choice(ID_SHOPS if idn else EN_SHOPS)]
    lines.append(
        rng.choice(["Jl. Sudirman No. 12, Jakarta", "Jl. Braga 45 Bandung"])
        if idn
        else rng.choice(["123 Orchard Road", "45 King Street"])
    )
    lines.append(
        rng.choice(["Telp 021-5551234", "Telp 0812-3456-7890"]) if idn else "Tel +65 6123 4567"
    )
    lines.append(
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026 {rng.randint(10, 22)}:"
        f"{rng.randint(0, 59):02d}"
    )
    lines.append("Kasir: Budi" if idn else "Server: Anna")
    lines.append("-" * 30)
    for name, qty, unit in t.items:
        line_total = fmt(qty * unit, c)
        if t.layout == "inline":
            sep = rng.choice(["x", "@"]) if idn else "x"
            lines.append(_row(f"{name} {qty} {sep} {fmt(unit, c)}", line_total, 40))
        elif t.layout == "two_line":
            lines.append(name)
            lines.append(_row(f"  {qty} x {fmt(unit, c)}", line_total))
        elif t.layout == "table":
            lines.append(f"{name:<20}{qty:>3}{fmt(unit, c):>10}{line_total:>11}")
        else:
            if qty == 1:
                lines.append(_row(f"1 {name}", line_total))
            else:
                lines.append(_row(f"{qty} {name} @{fmt(unit, c)}", line_total, 40))
    lines.append("-" * 30)
    lines.append(_row("Subtotal", fmt(subtotal, c)))
    if discount:
        label = "Diskon" if idn else "Discount"
        if t.discount_percent != "0":
            label += f" {t.discount_percent}%"
        lines.append(_row(label, "-" + fmt(discount, c)))
    if service:
        label = rng.choice(["Service", "Service Charge"]) if idn else "Service Charge"
        lines.append(_row(f"{label} {t.service_percent}%", fmt(service, c)))
    if tax:
        label = rng.choice(["PB1", "Pajak", "PPN"]) if idn else rng.choice(["Tax", "GST"])
        lines.append(_row(f"{label} {t.tax_percent}%", fmt(tax, c)))
    if t.tip:
        lines.append(_row("Tip", fmt(t.tip, c)))
    total_label = rng.choice(["Total", "Grand Total", "TOTAL"])
    lines.append(_row(total_label, ("Rp " if idn and rng.random() < 0.4 else "") + fmt(t.total, c)))
    paid = -(-t.total // (50000 if idn else 1000)) * (50000 if idn else 1000)
    lines.append(_row("Tunai" if idn else "Cash", fmt(paid, c)))
    lines.append(_row("Kembali" if idn else "Change", fmt(paid - t.total, c)))
    lines.append("Terima kasih" if idn else "Thank you!")
    return lines


def render(truth: Truth, rng: random.Random) -> Image.Image:
    font_name = rng.choice(FONTS)
    truth.font = font_name.split("/")[-1]
    size = rng.randint(22, 28)
    font = ImageFont.truetype(_font_path(font_name), size)
    mono = "Mono" in font_name
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    widest = max(probe.textlength(text, font=font) for text in truth.lines)
    width = int(widest) + 60 if mono else max(560, int(widest * 0.8) + 60)
    line_h = int(size * 1.45)
    image = Image.new("L", (width, line_h * (len(truth.lines) + 4)), 255)
    draw = ImageDraw.Draw(image)
    y = line_h * 2
    margin = 30
    for text in truth.lines:
        if mono:
            draw.text((margin, y), text, font=font, fill=0)
        else:
            # Proportional fonts: left part at the margin, the amount right-aligned.
            parts = text.rsplit("  ", 1)
            if len(parts) == 2 and parts[1].strip() and any(ch.isdigit() for ch in parts[1]):
                draw.text((margin, y), parts[0].rstrip(), font=font, fill=0)
                right = parts[1].strip()
                draw.text(
                    (width - margin - draw.textlength(right, font=font), y),
                    right,
                    font=font,
                    fill=0,
                )
            else:
                draw.text((margin, y), text, font=font, fill=0)
        y += line_h
    return image


def degrade(image: Image.Image, rng: random.Random) -> bytes:
    """A phone photo of the printed receipt: on a table, rotated, lit from one side, noisy,
    slightly blurred, saved as a JPEG."""
    paper = image.convert("RGB")
    pad = 60
    canvas = Image.new("RGB", (paper.width + 2 * pad, paper.height + 2 * pad), (120, 110, 95))
    canvas.paste(paper, (pad, pad))
    angle = rng.uniform(-10, 10)
    canvas = canvas.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(120, 110, 95)
    )
    pixels = np.asarray(canvas, dtype=np.float32)
    h, w = pixels.shape[:2]
    # Uneven light: a linear falloff from one corner down to 55-75 %.
    low = rng.uniform(0.55, 0.75)
    gx, gy = np.meshgrid(np.linspace(0, 1, w), np.linspace(0, 1, h))
    direction = rng.uniform(0, 2 * np.pi)
    ramp = gx * np.cos(direction) + gy * np.sin(direction)
    ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
    light = 1.0 - (1.0 - low) * ramp
    pixels *= light[..., None]
    np_rng = np.random.default_rng(rng.randrange(2**32))
    pixels += np_rng.normal(0, rng.uniform(6, 14), pixels.shape)
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=rng.randint(45, 75))
    return out.getvalue()


def clean_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def generate(
    count: int, *, seed: int = 16, photographed: bool = False
) -> list[tuple[bytes, Truth]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        truth = make_truth(rng)
        image = render(truth, rng)
        data = degrade(image, rng) if photographed else clean_png(image)
        cases.append((data, truth))
    return cases


def write(directory: Path, count: int, *, seed: int, photographed: bool) -> None:
    import json

    directory.mkdir(parents=True, exist_ok=True)
    for index, (data, truth) in enumerate(generate(count, seed=seed, photographed=photographed)):
        stem = directory / f"receipt-{index:03d}"
        stem.with_suffix(".jpg" if photographed else ".png").write_bytes(data)
        stem.with_suffix(".json").write_text(json.dumps(asdict(truth), indent=1))
