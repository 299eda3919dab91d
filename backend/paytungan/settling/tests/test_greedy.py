from hypothesis import given
from hypothesis import strategies as st

from paytungan.settling.greedy import greedy_transfers


def test_largest_debtor_pays_largest_creditor_first() -> None:
    # 3 pays 1 8, leaving 1 owed 2 and 2 owed 3: the larger creditor, 2, is paid next.
    assert greedy_transfers([(1, 10), (2, 3), (3, -8), (4, -5)]) == [
        (3, 1, 8),
        (4, 2, 3),
        (4, 1, 2),
    ]


def test_ties_go_to_the_smaller_member_id() -> None:
    assert greedy_transfers([(5, 4), (2, 4), (9, -4), (3, -4)]) == [(3, 2, 4), (9, 5, 4)]


@given(amounts=st.lists(st.integers(-(10**6), 10**6).filter(bool), max_size=200))
def test_greedy_settles_in_at_most_n_minus_one(amounts: list[int]) -> None:
    if sum(amounts):
        amounts.append(-sum(amounts))
    balances = list(enumerate(amounts))
    transfers = greedy_transfers(balances)
    assert len(transfers) <= max(len(amounts) - 1, 0)
    after = dict(balances)
    for debtor, creditor, amount in transfers:
        assert amount > 0
        after[debtor] += amount
        after[creditor] -= amount
    assert set(after.values()) <= {0}
