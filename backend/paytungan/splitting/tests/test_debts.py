import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.splitting import SplitError, bill_debts


def test_one_payer_is_owed_by_everyone_else() -> None:
    debts = bill_debts({1: 90000}, {1: 30000, 2: 30000, 3: 30000}, "k")
    assert debts == [(2, 1, 30000), (3, 1, 30000)]


def test_each_debt_is_split_over_the_payers_by_what_they_are_owed() -> None:
    # Nets: 1 +35,000, 2 +15,000, 3 -25,000, 4 -25,000. Each debtor pays 35 : 15 of 25,000.
    debts = bill_debts({1: 60000, 2: 40000}, {1: 25000, 2: 25000, 3: 25000, 4: 25000}, "k")
    assert debts == [(3, 1, 17500), (3, 2, 7500), (4, 1, 17500), (4, 2, 7500)]


def test_rounding_never_leaves_a_creditor_short() -> None:
    # Two debtors of 1 and two creditors of 1: rounding each debtor on its own could send both
    # units to the same creditor; the result must pay each creditor exactly 1.
    for key in ("a", "b", "c", "d", "e"):
        debts = bill_debts({1: 1, 2: 1}, {3: 1, 4: 1}, key)
        received = {1: 0, 2: 0}
        for _, creditor, amount in debts:
            received[creditor] += amount
        assert received == {1: 1, 2: 1}


def test_nobody_owes_on_a_bill_paid_by_each_for_themselves() -> None:
    assert bill_debts({1: 5, 2: 7}, {1: 5, 2: 7}, "k") == []


def test_payments_and_shares_must_match() -> None:
    with pytest.raises(SplitError) as caught:
        bill_debts({1: 100}, {1: 50, 2: 49}, "k")
    assert caught.value.fields == {"payers": ["Payments add up to 100 but the shares to 99."]}


@st.composite
def paid_and_shares(draw: st.DrawFn) -> tuple[dict[int, int], dict[int, int]]:
    total = draw(st.integers(min_value=1, max_value=10**9))
    sharers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True))
    payers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
    share_weights = draw(
        st.lists(st.integers(0, 100), min_size=len(sharers), max_size=len(sharers))
    )
    if not any(share_weights):
        share_weights[0] = 1
    pay_weights = draw(st.lists(st.integers(1, 100), min_size=len(payers), max_size=len(payers)))

    def split(weights: list[int]) -> list[int]:
        parts = [total * w // sum(weights) for w in weights]
        parts[0] += total - sum(parts)
        return parts

    shares = dict(zip(sharers, split(share_weights), strict=True))
    paid = dict(zip(payers, split(pay_weights), strict=True))
    return paid, shares


@given(case=paid_and_shares(), key=st.text(max_size=6))
def test_debts_settle_every_member_exactly(
    case: tuple[dict[int, int], dict[int, int]], key: str
) -> None:
    paid, shares = case
    debts = bill_debts(paid, shares, key)
    net = {m: paid.get(m, 0) - shares.get(m, 0) for m in set(paid) | set(shares)}
    owed = {m: 0 for m in net}
    for debtor, creditor, amount in debts:
        assert amount > 0
        assert net[debtor] < 0 < net[creditor]
        owed[debtor] -= amount
        owed[creditor] += amount
    assert owed == net
    assert debts == sorted(debts)
    assert bill_debts(paid, shares, key) == debts


@given(case=paid_and_shares(), key=st.text(max_size=6))
def test_each_debt_is_floor_or_ceiling_of_its_proportional_quota(
    case: tuple[dict[int, int], dict[int, int]], key: str
) -> None:
    paid, shares = case
    net = {m: paid.get(m, 0) - shares.get(m, 0) for m in set(paid) | set(shares)}
    credit_total = sum(v for v in net.values() if v > 0)
    amounts = {(d, c): a for d, c, a in bill_debts(paid, shares, key)}
    for debtor, debt in net.items():
        for creditor, credit in net.items():
            if debt < 0 < credit:
                floor = -debt * credit // credit_total
                assert amounts.get((debtor, creditor), 0) in (floor, floor + 1)
