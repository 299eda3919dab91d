"""Hypothesis strategies for valid bills in every mode (amounts as canonical JSON strings)."""

import itertools
from decimal import Decimal

from hypothesis import assume
from hypothesis import strategies as st

from paytungan.money import percent_of, to_decimal_string
from paytungan.splitting import (
    BillInput,
    ChargesInput,
    ItemInput,
    MemberValueInput,
    PayerInput,
)

CURRENCIES = ("IDR", "USD", "KWD", "JPY")
member_id_pools = st.lists(
    st.integers(min_value=1, max_value=60), min_size=1, max_size=8, unique=True
)
titles = st.text(max_size=12)
dates = st.sampled_from(["", "2026-11-20", "2026-12-31"])


@st.composite
def parts_of(draw: st.DrawFn, total: int, count: int, *, positive: bool) -> list[int]:
    """``count`` integers summing to ``total``; all > 0 when ``positive`` (needs total >= count)."""
    if count == 1:
        return [total]
    if positive:
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(min_value=1, max_value=total - 1),
                    min_size=count - 1,
                    max_size=count - 1,
                    unique=True,
                )
            )
        )
    else:
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(min_value=0, max_value=total),
                    min_size=count - 1,
                    max_size=count - 1,
                )
            )
        )
    bounds = [0, *cuts, total]
    return [high - low for low, high in itertools.pairwise(bounds)]


@st.composite
def payers_for(draw: st.DrawFn, total: int, currency: str) -> tuple[PayerInput, ...]:
    count = draw(st.integers(min_value=1, max_value=min(4, total)))
    ids = draw(
        st.lists(
            st.integers(min_value=1, max_value=60), min_size=count, max_size=count, unique=True
        )
    )
    amounts = draw(parts_of(total, count, positive=True))
    return tuple(
        PayerInput(member_id, to_decimal_string(amount, currency))
        for member_id, amount in zip(ids, amounts, strict=True)
    )


@st.composite
def member_mode_bills(draw: st.DrawFn, mode: str | None = None) -> BillInput:
    mode = mode or draw(st.sampled_from(["equal", "exact", "percent", "shares"]))
    currency = draw(st.sampled_from(CURRENCIES))
    total = draw(st.integers(min_value=1, max_value=10**10))
    ids = draw(member_id_pools)
    values: list[str | None]
    if mode == "equal":
        values = [None] * len(ids)
    elif mode == "exact":
        values = [
            to_decimal_string(part, currency)
            for part in draw(parts_of(total, len(ids), positive=False))
        ]
    elif mode == "percent":
        hundredths = draw(parts_of(10_000, len(ids), positive=False))
        values = [_percent_text(h) for h in hundredths]
    else:
        units = draw(
            st.lists(
                st.integers(min_value=0, max_value=10**6), min_size=len(ids), max_size=len(ids)
            )
        )
        assume(any(units))
        values = [format(Decimal(u).scaleb(-4), "f") for u in units]
    return BillInput(
        currency=currency,
        mode=mode,
        payers=draw(payers_for(total, currency)),
        members=tuple(MemberValueInput(m, v) for m, v in zip(ids, values, strict=True)),
        total=to_decimal_string(total, currency),
        title=draw(titles),
        date=draw(dates),
    )


def _percent_text(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@st.composite
def itemized_bills(draw: st.DrawFn, *, with_total: bool | None = None) -> BillInput:
    currency = draw(st.sampled_from(CURRENCIES))
    pool = draw(
        st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8, unique=True)
    )
    item_count = draw(st.integers(min_value=1, max_value=6))
    items = []
    for index in range(item_count):
        member_ids = draw(
            st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True)
        )
        quantity = draw(st.integers(min_value=1, max_value=5))
        unit_price = draw(st.integers(min_value=0, max_value=10**7))
        items.append(
            ItemInput(
                f"item {index}",
                quantity,
                to_decimal_string(unit_price, currency),
                tuple(member_ids),
            )
        )
    subtotal = sum(
        item.quantity * int(Decimal(item.unit_price).scaleb(_places(currency))) for item in items
    )
    discount_percent = draw(st.sampled_from([0, 0, 1000, 1550, 10000]))
    percent_discount = percent_of(subtotal, Decimal(discount_percent).scaleb(-2))
    discount = draw(st.integers(min_value=0, max_value=subtotal - percent_discount))
    service_percent = draw(st.sampled_from([0, 500, 1000, 1250]))
    tax_percent = draw(st.sampled_from([0, 1000, 1100, 333, 10000]))
    tip = draw(st.integers(min_value=0, max_value=10**5)) if subtotal else 0
    discounted = subtotal - discount - percent_discount
    service = percent_of(discounted, Decimal(service_percent).scaleb(-2))
    tax = percent_of(discounted + service, Decimal(tax_percent).scaleb(-2))
    total = discounted + service + tax + tip
    assume(total > 0)
    if with_total is None:
        with_total = draw(st.booleans())
    return BillInput(
        currency=currency,
        mode="itemized",
        payers=draw(payers_for(total, currency)),
        items=tuple(items),
        charges=ChargesInput(
            discount=to_decimal_string(discount, currency),
            discount_percent=_percent_text(discount_percent),
            service_percent=_percent_text(service_percent),
            tax_percent=_percent_text(tax_percent),
            tip=to_decimal_string(tip, currency),
        ),
        total=to_decimal_string(total, currency) if with_total else None,
        title=draw(titles),
        date=draw(dates),
    )


def _places(currency: str) -> int:
    return {"IDR": 0, "USD": 2, "KWD": 3, "JPY": 0}[currency]


bills = st.one_of(member_mode_bills(), itemized_bills())
