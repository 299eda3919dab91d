"""The knee on synthetic step results."""

from __future__ import annotations

import pytest

from capacity.planner.knee import Slo, StepResult, breaches, combine, find_knee


def step(users: int, rps: float, p95: float, failures: int = 0, pace: float = 1.0) -> StepResult:
    requests = int(rps * 20)
    return StepResult(
        users=users, seconds=20, requests=requests, failures=failures, rps=rps,
        p50_ms=p95 / 3, p95_ms=p95, p99_ms=p95 * 1.5, mean_ms=p95 / 2, pace_held=pace,
    )  # fmt: skip


SLO = Slo(p95_ms=300, error_rate=0.001)


def test_the_knee_is_the_last_step_inside_the_slo_before_latency_breaks_it():
    steps = [step(10, 20, 40), step(20, 40, 80), step(40, 78, 150), step(80, 120, 420)]
    knee = find_knee(steps, SLO)
    assert knee.step == steps[2]
    assert knee.rps == 78
    assert knee.saturated
    assert knee.failed_step == steps[3]
    assert "p95 420 ms >= 300 ms" in knee.reason


def test_errors_over_the_budget_break_the_slo():
    # 0.2 % of 1,600 requests = 3 failures, over the 0.1 % budget
    steps = [step(10, 40, 50), step(20, 80, 60, failures=3)]
    knee = find_knee(steps, SLO)
    assert knee.step == steps[0]
    assert "errors 0.19% >= 0.10%" in knee.reason


def test_only_latency_and_errors_decide_not_the_generators_pace():
    steps = [step(10, 40, 50), step(20, 60, 250, pace=0.7)]
    assert find_knee(steps, SLO).rps == 60
    assert breaches(steps[1], SLO) == []


def test_a_failing_step_ends_the_safe_range_even_if_a_heavier_one_passes():
    # The old rule called the 20-user step a hiccup and reported 90 RPS; that rate did not
    # hold when measured again. The first failure ends the range: the knee is 40 RPS.
    steps = [step(10, 40, 50), step(20, 70, 400), step(40, 90, 250), step(60, 110, 500),
             step(80, 120, 900)]  # fmt: skip
    knee = find_knee(steps, SLO)
    assert knee.rps == 40
    assert knee.failed_step == steps[1]
    assert knee.saturated


def test_steps_are_judged_in_order_of_load_whatever_order_they_ran_in():
    # Refinement steps run after the first pass and are merged in by user count.
    steps = [step(10, 40, 50), step(40, 90, 450), step(20, 70, 120), step(30, 80, 320)]
    knee = find_knee(steps, SLO)
    assert knee.rps == 70
    assert knee.failed_step == steps[3]


def test_the_worst_repeat_decides_and_the_median_is_reported():
    repeats = [step(40, 90, 200), step(40, 84, 310), step(40, 96, 220)]
    combined = combine(repeats)
    assert combined.repeats == 3
    assert combined.rps == 90  # median
    assert (combined.rps_min, combined.rps_max) == (84, 96)
    assert combined.p95_ms == 220  # median; the worst is 310
    assert combined.worst_p95_ms == 310
    assert breaches(combined, SLO) == ["worst repeat p95 310 ms >= 300 ms"]
    knee = find_knee([step(20, 50, 80), combined], SLO)
    assert knee.rps == 50


def test_one_repeat_with_errors_fails_the_step():
    clean, failing = step(20, 80, 60), step(20, 80, 60, failures=3)  # 3 of 1,600: 0.19 %
    combined = combine([clean, failing])
    assert combined.error_rate < SLO.error_rate  # 3 of 3,200 over both: 0.09 %
    assert breaches(combined, SLO) == ["worst repeat errors 0.19% >= 0.10%"]


def test_the_safe_rate_is_the_knee_with_headroom():
    knee = find_knee([step(10, 40, 50), step(20, 80, 90), step(40, 100, 500)], SLO)
    assert knee.safe_rps(0.6) == pytest.approx(48)
    with pytest.raises(ValueError, match="headroom"):
        knee.safe_rps(1.5)


def test_no_failure_means_capacity_is_at_least_the_best_step():
    steps = [step(10, 40, 50), step(20, 80, 90)]
    knee = find_knee(steps, SLO)
    assert knee.rps == 80
    assert not knee.saturated


def test_a_first_step_outside_the_slo_leaves_no_knee():
    knee = find_knee([step(10, 5, 900)], SLO)
    assert knee.step is None
    assert knee.rps == 0
    assert knee.saturated


def test_a_step_without_requests_fails_and_no_steps_give_no_knee():
    assert breaches(step(10, 0, 0), SLO) == ["no request completed"]
    assert find_knee([], SLO).step is None


@pytest.mark.parametrize(("p95", "errors"), [(0, 0.001), (-5, 0.001), (300, 0), (300, 1)])
def test_a_nonsense_slo_is_refused(p95, errors):
    with pytest.raises(ValueError, match="SLO"):
        Slo(p95_ms=p95, error_rate=errors)
