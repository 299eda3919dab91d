"""Load schedules: geometric steps, refinement between the knee and the first failure."""

from __future__ import annotations

import pytest

from capacity.planner.runner import Schedule, geometric_steps, refine_steps


def test_geometric_steps_rise_by_the_factor_rounded():
    # 10, 16, 25.6 -> 26, 41.6 -> 42, 67.2 -> 67, 107.2 -> 107, 171.2 -> 171, 273.6 -> 274
    assert geometric_steps(10, 1.6, 8) == [10, 16, 26, 42, 67, 107, 171, 274]
    assert geometric_steps(1, 1.1, 4) == [1, 2, 3, 4]  # always at least one more user


def test_refinement_splits_the_gap_geometrically():
    # 171 / 107 = 1.598; 107 x 1.598^(1/3) = 125.1, 107 x 1.598^(2/3) = 146.3
    assert refine_steps(107, 171, 2) == [125, 146]
    assert refine_steps(10, 11, 2) == []  # no whole user count in between
    assert refine_steps(10, 12, 3) == [11]
    assert refine_steps(10, 40, 0) == []


@pytest.mark.parametrize(
    ("steps", "seconds", "warmup", "pace"),
    [([], 20, 5, 0.5), ([0, 10], 20, 5, 0.5), ([10], 6, 5, 0.5), ([10], 20, 5, 0)],
)
def test_a_nonsense_schedule_is_refused(steps, seconds, warmup, pace):
    with pytest.raises(ValueError, match=r"steps|step seconds|pace"):
        Schedule(steps, seconds, warmup, pace)


def test_locust_runs_an_unmeasured_warm_up_then_each_step_repeated():
    schedule = Schedule([10, 20, 40], 20, 5, 0.5, repeats=2)
    assert schedule.locust_steps == [10, 10, 10, 20, 20, 40, 40]
    assert Schedule([10], 20, 5, 0.5).locust_steps == [10, 10]
    with pytest.raises(ValueError, match="repeats"):
        Schedule([10], 20, 5, 0.5, repeats=0)
