import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paytungan.settling import MAX_EXACT_MEMBERS, SettleError, Transfer, pairwise, settle
from paytungan.settling.greedy import greedy_transfers
from paytungan.settling.tests.brute_force import min_transfers_by_search


@st.composite
def balance_maps(
    draw: st.DrawFn, max_members: int, max_amount: int = 10**6, small: bool | None = None
) -> dict[int, int]:
    """Balances summing to zero; small amounts make zero-sum subgroups (and ties) common."""
    count = draw(st.integers(min_value=0, max_value=max_members))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count, unique=True))
    if small is None:
        small = draw(st.booleans())
    bound = 6 if small else max_amount
    amounts = draw(st.lists(st.integers(-bound, bound), min_size=count, max_size=count))
    if amounts:
        amounts[-1] -= sum(amounts)
    return dict(zip(ids, amounts, strict=True))


def apply(balances: dict[int, int], transfers: list[Transfer]) -> dict[int, int]:
    after = dict(balances)
    for transfer in transfers:
        after[transfer.from_id] += transfer.amount
        after[transfer.to_id] -= transfer.amount
    return after


def test_a_simple_dinner_settles_in_two_transfers() -> None:
    # A paid for everyone: B and C each pay A.
    assert settle({1: 60000, 2: -30000, 3: -30000}) == [
        Transfer(2, 1, 30000),
        Transfer(3, 1, 30000),
    ]


def test_zero_sum_pairs_are_settled_separately() -> None:
    # Greedy on everyone would chain 10 -> ... ; the exact answer pairs (1, 3) and (2, 4).
    balances = {1: 7, 2: 5, 3: -7, 4: -5}
    assert settle(balances) == [Transfer(3, 1, 7), Transfer(4, 2, 5)]


def test_exact_beats_greedy_when_subgroups_cancel() -> None:
    # Greedy: 5 pays 4 5, 1 pays 2 3, 1 pays 3 2, 5 pays 3 1: four transfers. But {4: 5, 1: -5}
    # cancels on its own, leaving {2: 3, 3: 3, 5: -6}: three transfers in all.
    balances = {1: -5, 2: 3, 3: 3, 4: 5, 5: -6}
    assert len(greedy_transfers(sorted(balances.items()))) == 4
    assert settle(balances) == [Transfer(1, 4, 5), Transfer(5, 2, 3), Transfer(5, 3, 3)]


def test_settled_group_needs_no_transfers() -> None:
    assert settle({1: 0, 2: 0}) == []
    assert settle({}) == []


def test_balances_must_sum_to_zero() -> None:
    with pytest.raises(SettleError) as caught:
        settle({1: 100, 2: -99})
    assert caught.value.message == "Balances must sum to zero, but they sum to 1."
    assert caught.value.code == "invalid_balances"


@pytest.mark.parametrize("balances", [{1: 1.0, 2: -1}, {1: True, 2: -1}, {"1": 1, 2: -1}])
def test_balances_must_be_integers(balances: dict[object, object]) -> None:
    with pytest.raises(SettleError):
        # Balances of the wrong type on purpose; the runtime check is tested.
        settle(balances)  # type: ignore[arg-type]


def test_transfers_are_sorted_and_deterministic() -> None:
    balances = {9: -5, 3: 10, 7: -5, 1: 2, 4: -2}
    first = settle(balances)
    assert first == sorted(first, key=lambda t: (t.from_id, t.to_id))
    assert settle(dict(reversed(list(balances.items())))) == first


@given(balances=balance_maps(max_members=12))
def test_settle_zeroes_every_balance(balances: dict[int, int]) -> None:
    transfers = settle(balances)
    assert all(value == 0 for value in apply(balances, transfers).values())
    for transfer in transfers:
        assert transfer.amount > 0
        assert transfer.from_id != transfer.to_id
        assert balances[transfer.from_id] < 0 < balances[transfer.to_id]
    assert transfers == sorted(transfers)


@given(balances=balance_maps(max_members=8))
def test_settle_count_is_the_brute_force_minimum(balances: dict[int, int]) -> None:
    transfers = settle(balances)
    assert len(transfers) == min_transfers_by_search(list(balances.values()))


@given(balances=balance_maps(max_members=MAX_EXACT_MEMBERS))
@settings(max_examples=100)
def test_settle_never_needs_more_than_greedy(balances: dict[int, int]) -> None:
    owing = sorted((m, b) for m, b in balances.items() if b)
    greedy = greedy_transfers(owing)
    assert len(settle(balances)) <= len(greedy) <= max(len(owing) - 1, 0)


@given(balances=balance_maps(max_members=60))
@settings(max_examples=50)
def test_beyond_twenty_members_greedy_still_settles_in_at_most_n_minus_1(
    balances: dict[int, int],
) -> None:
    transfers = settle(balances)
    nonzero = sum(1 for value in balances.values() if value)
    assert len(transfers) <= max(nonzero - 1, 0)
    assert all(value == 0 for value in apply(balances, transfers).values())


def test_ten_thousand_members_settle_greedily() -> None:
    rng = random.Random(7)
    amounts = [rng.randint(-(10**6), 10**6) for _ in range(9_999)]
    amounts.append(-sum(amounts))
    balances = dict(enumerate(amounts, start=1))
    transfers = settle(balances)
    assert len(transfers) <= 9_999
    assert all(value == 0 for value in apply(balances, transfers).values())


# pairwise: the non-simplified view.


def test_pairwise_nets_each_pair() -> None:
    assert pairwise([(1, 2, 10), (2, 1, 4)]) == [Transfer(1, 2, 6)]


def test_pairwise_reverses_when_the_other_side_owes_more() -> None:
    assert pairwise([(1, 2, 4), (2, 1, 10)]) == [Transfer(2, 1, 6)]


def test_pairwise_drops_settled_pairs_and_keeps_others_apart() -> None:
    debts = [(1, 2, 5), (2, 1, 5), (3, 1, 7), (3, 2, 1)]
    assert pairwise(debts) == [Transfer(3, 1, 7), Transfer(3, 2, 1)]


def test_payments_count_as_negative_debts() -> None:
    # 2 owes 1 30,000 for a bill; 2 has already paid 1 20,000.
    assert pairwise([(2, 1, 30000), (2, 1, -20000)]) == [Transfer(2, 1, 10000)]


def test_pairwise_refuses_self_debts_and_non_integers() -> None:
    with pytest.raises(SettleError, match="cannot owe themselves"):
        pairwise([(1, 1, 5)])
    with pytest.raises(SettleError, match="Debt amount must be an integer"):
        # A float debt on purpose; the runtime check is tested.
        pairwise([(1, 2, 5.0)])  # type: ignore[list-item]


debt_lists = st.lists(
    st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(-100, 100)).filter(
        lambda debt: debt[0] != debt[1]
    ),
    max_size=30,
)


@given(debts=debt_lists)
def test_pairwise_keeps_each_members_net_and_one_transfer_per_pair(
    debts: list[tuple[int, int, int]],
) -> None:
    transfers = pairwise(debts)
    net: dict[int, int] = {}
    for debtor, creditor, amount in debts:
        net[debtor] = net.get(debtor, 0) - amount
        net[creditor] = net.get(creditor, 0) + amount
    after = {member: 0 for member in net}
    for transfer in transfers:
        assert transfer.amount > 0
        after[transfer.from_id] -= transfer.amount
        after[transfer.to_id] += transfer.amount
    assert after == net
    pairs = [frozenset((t.from_id, t.to_id)) for t in transfers]
    assert len(pairs) == len(set(pairs))
    assert transfers == sorted(transfers)
