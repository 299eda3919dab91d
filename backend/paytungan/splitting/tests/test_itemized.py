"""Itemized bills: worked examples by hand, and the per-member properties of the allocation."""

from hypothesis import given
from hypothesis import strategies as st

from paytungan.money import allocate, parse_amount
from paytungan.splitting import (
    BillInput,
    Breakdown,
    ChargesInput,
    ItemInput,
    PayerInput,
    compute_bill,
    itemized_total,
)
from paytungan.splitting.charges import ChargeTotals
from paytungan.splitting.itemized import split_itemized
from paytungan.splitting.items import ParsedItem
from paytungan.splitting.tests.strategies import itemized_bills

A, B, C = 1, 2, 3


def dinner(title: str = "Makan malam") -> BillInput:
    return BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(A, "150150"),),
        items=(
            ItemInput("Sate ayam", 2, "35000", (A, B)),
            ItemInput("Gurame bakar", 1, "48000", (C,)),
            ItemInput("Es campur", 1, "22000", (A,)),
        ),
        charges=ChargesInput(discount="10000", service_percent="5", tax_percent="10"),
        total="150150",
        title=title,
        date="2026-11-20",
    )


def test_indonesian_dinner_by_hand() -> None:
    # Items: Sate 2 x 35,000 = 70,000 shared by A and B -> 35,000 each (exact);
    #        Gurame 48,000 for C; Es campur 22,000 for A.
    # Item subtotals: A 57,000, B 35,000, C 48,000; bill subtotal 140,000.
    #
    # Bill-level charges, each rounded half-up before it is allocated:
    #   discount 10,000 -> discounted subtotal 130,000
    #   service  5 % of 130,000 = 6,500
    #   tax     10 % of (130,000 + 6,500) = 13,650
    #   total    130,000 + 6,500 + 13,650 = 150,150
    #
    # Each charge is allocated in proportion to 57 : 35 : 48 (out of 140):
    #   discount 10,000: quotas A 4,071.43  B 2,500  C 3,428.57 -> floors 4,071 + 2,500 + 3,428
    #            = 9,999; the left-over unit goes to the largest remainder, C (.57)
    #            -> A 4,071  B 2,500  C 3,429
    #   service   6,500: quotas A 2,646.43  B 1,625  C 2,228.57 -> C gets the unit
    #            -> A 2,646  B 1,625  C 2,229
    #   tax      13,650: quotas A 5,557.5  B 3,412.5  C 4,680 -> floors sum to 13,649; A and B tie
    #            at .5, so the content tie key decides; for this bill it favours B
    #            -> A 5,557  B 3,413  C 4,680
    # Per person: A 57,000 - 4,071 + 2,646 + 5,557 = 61,132
    #             B 35,000 - 2,500 + 1,625 + 3,413 = 37,538
    #             C 48,000 - 3,429 + 2,229 + 4,680 = 51,480
    #             61,132 + 37,538 + 51,480 = 150,150
    result = compute_bill(dinner())
    assert result.total == 150150
    assert result.paid == {A: 150150}
    assert result.shares == {A: 61132, B: 37538, C: 51480}
    assert result.breakdown == {
        A: Breakdown(items=57000, discount=4071, service=2646, tax=5557, tip=0, total=61132),
        B: Breakdown(items=35000, discount=2500, service=1625, tax=3413, tip=0, total=37538),
        C: Breakdown(items=48000, discount=3429, service=2229, tax=4680, tip=0, total=51480),
    }


def test_the_dinner_tax_tie_is_broken_by_the_content_key() -> None:
    result = compute_bill(dinner())
    # Positions are members sorted by id: A=0, B=1, C=2.
    assert allocate(13650, [57000, 35000, 48000], f"{result.tie_key}:tax") == [5557, 3413, 4680]
    # A different bill (another title) may break the same tie the other way; either way the
    # tie only ever moves that one unit between A and B.
    seen_a = set()
    for n in range(20):
        other = compute_bill(dinner(title=f"Makan malam {n}"))
        assert other.breakdown is not None
        assert other.breakdown[C].tax == 4680
        assert other.breakdown[A].tax + other.breakdown[B].tax == 5557 + 3413
        seen_a.add(other.breakdown[A].tax)
    assert seen_a == {5557, 5558}


def test_total_may_be_left_out_and_is_computed() -> None:
    without_total = BillInput(**{**dinner().__dict__, "total": None})
    assert compute_bill(without_total) == compute_bill(dinner())


def test_usd_lunch_with_cents_tip_and_discount_percent() -> None:
    # Burger 12.99 for A; salad 9.50 for B; fries 2 x 3.25 = 6.50 shared by A, B and C:
    # 650 cents / 3 = 216.67 each, so two of them get 217 and one 216 (by the tie key).
    # Subtotal 28.99; 10 % off = 2.899 -> 2.90; discounted 26.09;
    # tax 8.25 % of 26.09 = 2.152425 -> 2.15; tip 7.20; total 26.09 + 2.15 + 7.20 = 35.44.
    bill = BillInput(
        currency="USD",
        mode="itemized",
        payers=(PayerInput(B, "35.00"), PayerInput(C, "0.44")),
        items=(
            ItemInput("Burger", 1, "12.99", (A,)),
            ItemInput("Salad", 1, "9.50", (B,)),
            ItemInput("Fries", 2, "3.25", (A, B, C)),
        ),
        charges=ChargesInput(discount_percent="10", tax_percent="8.25", tip="7.20"),
        total="35.44",
    )
    result = compute_bill(bill)
    assert result.total == 3544
    assert result.paid == {B: 3500, C: 44}
    assert sum(result.shares.values()) == 3544
    assert result.breakdown is not None
    fries = [result.breakdown[A].items - 1299, result.breakdown[B].items - 950]
    fries.append(result.breakdown[C].items)
    assert sorted(fries) == [216, 217, 217]
    assert sum(part.discount for part in result.breakdown.values()) == 290
    assert sum(part.tax for part in result.breakdown.values()) == 215
    assert sum(part.tip for part in result.breakdown.values()) == 720


def test_kwd_itemized_keeps_three_decimals() -> None:
    # 3 x 1.250 = 3.750 shared by A and B -> 1.875 each; service 12.50 % of 3.750 = 0.46875
    # -> 0.469 (half-up to the fils); split 234.5 : 234.5 fils, so the tie key gives one the unit.
    bill = BillInput(
        currency="KWD",
        mode="itemized",
        payers=(PayerInput(A, "4.219"),),
        items=(ItemInput("Machboos", 3, "1.250", (A, B)),),
        charges=ChargesInput(service_percent="12.50"),
    )
    result = compute_bill(bill)
    assert result.total == 4219
    assert result.breakdown is not None
    assert result.breakdown[A].items == result.breakdown[B].items == 1875
    assert sorted(part.service for part in result.breakdown.values()) == [234, 235]
    assert sorted(result.shares.values()) == [2109, 2110]


def test_free_items_are_allowed_when_the_bill_is_not_free() -> None:
    bill = BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(A, "11000"),),
        items=(ItemInput("Air putih", 2, "0", (B,)), ItemInput("Kopi", 1, "10000", (A,))),
        charges=ChargesInput(tax_percent="10"),
    )
    result = compute_bill(bill)
    assert result.shares == {A: 11000, B: 0}
    assert result.breakdown is not None
    assert result.breakdown[B] == Breakdown(0, 0, 0, 0, 0, 0)


def test_full_discount_percent_with_service_and_tip() -> None:
    bill = BillInput(
        currency="IDR",
        mode="itemized",
        payers=(PayerInput(A, "5000"),),
        items=(ItemInput("Nasi", 1, "20000", (A, B)),),
        charges=ChargesInput(discount_percent="100", service_percent="5", tip="5000"),
    )
    result = compute_bill(bill)
    assert result.total == 5000
    assert result.shares == {A: 2500, B: 2500}
    assert result.breakdown is not None
    assert result.breakdown[A] == Breakdown(10000, 10000, 0, 0, 2500, 2500)


@given(bill=itemized_bills())
def test_breakdowns_add_up_per_member_and_per_charge(bill: BillInput) -> None:
    result = compute_bill(bill)
    assert result.breakdown is not None
    assert list(result.breakdown) == sorted(result.breakdown)
    for member_id, part in result.breakdown.items():
        assert part.total == part.items - part.discount + part.service + part.tax + part.tip
        assert result.shares[member_id] == part.total
        assert min(part.items, part.discount, part.service, part.tax, part.tip) >= 0
    lines = sum(item.quantity * parse_amount(item.unit_price, bill.currency) for item in bill.items)
    assert sum(part.items for part in result.breakdown.values()) == lines
    assert sum(part.total for part in result.breakdown.values()) == result.total
    tip = parse_amount(bill.charges.tip, bill.currency)
    assert sum(part.tip for part in result.breakdown.values()) == tip


@given(bill=itemized_bills())
def test_itemized_total_is_the_computed_bills_total(bill: BillInput) -> None:
    """The seeds and demo data pay a receipt with `itemized_total`: it must be compute_bill's."""
    assert itemized_total(bill) == compute_bill(bill).total


@given(bill=itemized_bills())
def test_a_members_discount_never_exceeds_their_items(bill: BillInput) -> None:
    result = compute_bill(bill)
    assert result.breakdown is not None
    for part in result.breakdown.values():
        assert part.discount <= part.items
        assert part.total >= 0


@given(bill=itemized_bills())
def test_each_charge_is_allocated_in_proportion_to_item_subtotals(bill: BillInput) -> None:
    result = compute_bill(bill)
    assert result.breakdown is not None
    parts = list(result.breakdown.values())
    subtotal = sum(part.items for part in parts)
    for charge in ("discount", "service", "tax", "tip"):
        charge_total = sum(getattr(part, charge) for part in parts)
        for part in parts:
            floor = charge_total * part.items // subtotal
            ceiling = -(-charge_total * part.items // subtotal)
            assert getattr(part, charge) in (floor, ceiling)


item_lists = st.lists(
    st.builds(
        ParsedItem,
        name=st.just("item"),
        quantity=st.integers(min_value=1, max_value=10),
        unit_price=st.integers(min_value=0, max_value=10**6),
        member_ids=st.lists(st.integers(1, 9), min_size=1, max_size=9, unique=True).map(
            lambda ids: tuple(sorted(ids))
        ),
    ),
    min_size=1,
    max_size=8,
)


@given(items=item_lists, key=st.text(max_size=5))
def test_each_item_is_split_equally_among_its_members(items: list[ParsedItem], key: str) -> None:
    subtotal = sum(item.line_total for item in items)
    breakdown = split_itemized(items, ChargeTotals(subtotal, 0, 0, 0, 0), key)
    for member_id, part in breakdown.items():
        mine = [item for item in items if member_id in item.member_ids]
        low = sum(item.line_total // len(item.member_ids) for item in mine)
        high = sum(-(-item.line_total // len(item.member_ids)) for item in mine)
        assert low <= part.items <= high
        assert part.total == part.items
    assert sum(part.items for part in breakdown.values()) == subtotal
    assert set(breakdown) == {m for item in items for m in item.member_ids}
