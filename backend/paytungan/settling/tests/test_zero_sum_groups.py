import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.settling import SettleError
from paytungan.settling.tests.brute_force import max_zero_sum_partition
from paytungan.settling.zero_sum_groups import zero_sum_groups


def test_pairs_that_cancel_form_their_own_groups() -> None:
    assert sorted(zero_sum_groups([5, -3, 3, -5])) == [[0, 3], [1, 2]]


def test_no_subgroup_cancels() -> None:
    assert zero_sum_groups([6, -1, -2, -3]) == [[0, 1, 2, 3]]


def test_empty() -> None:
    assert zero_sum_groups([]) == []


def test_more_than_twenty_members_is_refused() -> None:
    with pytest.raises(SettleError):
        zero_sum_groups([1, -1] * 11)


def test_huge_balances_use_exact_integers() -> None:
    big = 2**70
    assert sorted(map(sorted, zero_sum_groups([big, -big, 1, -1]))) == [[0, 1], [2, 3]]


@st.composite
def zero_sum_lists(draw: st.DrawFn) -> list[int]:
    values = draw(st.lists(st.integers(-6, 6).filter(bool), min_size=1, max_size=7))
    if sum(values):
        values.append(-sum(values))
    return values


@given(amounts=zero_sum_lists())
def test_groups_partition_everyone_into_the_most_zero_sum_groups(amounts: list[int]) -> None:
    groups = zero_sum_groups(amounts)
    assert sorted(i for group in groups for i in group) == list(range(len(amounts)))
    assert all(group and sum(amounts[i] for i in group) == 0 for group in groups)
    assert len(groups) == max_zero_sum_partition(amounts)
