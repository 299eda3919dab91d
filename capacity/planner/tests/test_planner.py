"""The plan's arithmetic, checked against examples worked out by hand."""

from __future__ import annotations

import re
from typing import Any

import pytest

from capacity.planner.planner import instances_for_load, make_plan, peak_rps
from capacity.planner.workload import Workload, WorkloadError, parse_workload


def workload(**over: Any) -> Workload:
    data: dict[str, Any] = {
        "users": 50_000,
        "daily_active_share": 0.20,
        "requests_per_active_user_per_day": 30,
        "peak_hour_share": 0.15,
        "growth_per_iteration": 0.25,
        "iterations": 4,
        "target_utilisation": 0.60,
        "redundancy": 2,
        "current_instances": 3,
        "instance": {"workers": 1, "threads": 4},
        "database": {"max_connections": 100, "reserved_connections": 3, "other_connections": 5},
        "rps_per_instance": 60,
    }
    data.update(over)
    return parse_workload(data)


def test_the_issue_example_needs_one_instance_plus_two_spares():
    # 50,000 users x 20 % active = 10,000 active users a day
    # 10,000 x 30 requests = 300,000 requests a day; 15 % in the busiest hour = 45,000
    # 45,000 / 3600 s = 12.5 RPS at peak
    # one instance at 60 % of its 60 RPS carries 36 RPS: ceil(12.5 / 36) = ceil(0.347) = 1
    # N+2: 1 + 2 = 3 instances
    plan = make_plan(workload())

    assert plan.now.peak_rps == pytest.approx(12.5)
    assert plan.now.average_rps == pytest.approx(300_000 / 86_400)  # 3.47 RPS over the day
    assert plan.now.instances_for_load == 1
    assert plan.now.instances == 3
    # 3 instances x 1 worker x 4 threads = 12 connections + 5 others = 17 of 100 - 3 usable
    assert plan.now.db_connections == 17
    assert plan.now.db_fits
    assert plan.db_usable == 97
    assert plan.max_instances_by_db == 23  # (97 - 5) // 4
    # The 3 running instances carry 180 RPS; the 12.5 RPS peak uses 6.9 % of it.
    assert plan.peak_utilisation_now == pytest.approx(12.5 / 180)
    assert plan.unused_share_now == pytest.approx(1 - 12.5 / 180)
    # Next iteration: 62,500 users -> 15.625 RPS -> ceil(15.625 / 36) = 1 -> 3: no scale-up.
    assert plan.next_iteration.users == 62_500
    assert plan.next_iteration.peak_rps == pytest.approx(15.625)
    assert plan.next_iteration.instances == 3
    assert not plan.scale_this_iteration


def test_a_large_user_base_needs_many_instances_and_outgrows_the_database():
    # 2,000,000 users x 25 % = 500,000 active; x 40 requests = 20,000,000 a day
    # 12 % in the busiest hour = 2,400,000; / 3600 = 666.67 RPS
    # ceil(666.67 / 36) = ceil(18.52) = 19, + 2 = 21 instances
    # 21 x (2 workers x 4 threads) = 168 connections + 5 = 173 > 97 usable: does not fit;
    # the database allows (97 - 5) // 8 = 11 instances at most.
    w = workload(
        users=2_000_000,
        daily_active_share=0.25,
        requests_per_active_user_per_day=40,
        peak_hour_share=0.12,
        current_instances=12,
        instance={"workers": 2, "threads": 4},
    )
    plan = make_plan(w)

    assert plan.now.peak_rps == pytest.approx(666.6667, rel=1e-6)
    assert plan.now.instances_for_load == 19
    assert plan.now.instances == 21
    assert plan.now.db_connections == 173
    assert not plan.now.db_fits
    assert plan.max_instances_by_db == 11
    # 12 instances x 60 RPS = 720 RPS; 666.67 / 720 = 92.6 % busy at peak.
    assert plan.peak_utilisation_now == pytest.approx(666.6667 / 720, rel=1e-6)
    # Next iteration: 2,500,000 users -> 833.33 RPS -> ceil(23.15) = 24 + 2 = 26 > 12 running.
    assert plan.next_iteration.instances == 26
    assert plan.scale_this_iteration


def test_a_peak_exactly_at_the_target_does_not_round_up_an_extra_instance():
    # 288,000 x 0.2 x 30 x 0.15 / 3600 = 72 RPS = exactly 2 x 36: 2 instances, not 3.
    w = workload(users=288_000)
    assert peak_rps(w, w.users) == pytest.approx(72)
    assert make_plan(w).now.instances_for_load == 2
    assert instances_for_load(72.0000000001, 60, 0.6) == 2
    assert instances_for_load(72.01, 60, 0.6) == 3


def test_a_measured_rps_overrides_the_file_and_growth_compounds():
    plan = make_plan(workload(growth_per_iteration=1.0), rps_per_instance=10, source="measured")
    # users double each iteration: 50k, 100k, 200k, 400k, 800k; peak 12.5 RPS doubles too.
    assert [n.users for n in plan.projection] == [50_000, 100_000, 200_000, 400_000, 800_000]
    assert [n.peak_rps for n in plan.projection] == pytest.approx([12.5, 25, 50, 100, 200])
    # 6 RPS per instance at 60 %: ceil(12.5/6)=3, ceil(25/6)=5, 9, 17, 34; + 2 each.
    assert [n.instances for n in plan.projection] == [5, 7, 11, 19, 36]
    assert plan.rps_source == "measured"
    assert plan.scale_this_iteration  # 7 needed next iteration, 3 running


def test_a_deploy_overlapping_two_revisions_doubles_the_api_connections():
    # docs/operations.md's budget: 2 workers x 4 threads, old and new revision both connected:
    # 3 instances x 8 x 2 = 48 + 5 others = 53; the database allows (97 - 5) // 16 = 5.
    db = {"max_connections": 100, "reserved_connections": 3, "other_connections": 5,
          "deploy_overlap": 2}  # fmt: skip
    plan = make_plan(workload(instance={"workers": 2, "threads": 4}, database=db))
    assert plan.now.db_connections == 53
    assert plan.max_instances_by_db == 5
    with pytest.raises(WorkloadError, match=r"^database\.deploy_overlap: at most 3"):
        workload(database={**db, "deploy_overlap": 4})


def test_without_a_current_count_the_plan_assumes_what_it_recommends():
    plan = make_plan(workload(current_instances=None))
    assert plan.current_instances == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"users": -5}, "users: must be at least 1"),
        ({"users": 0}, "users: must be at least 1"),
        ({"users": "many"}, "users: must be a number"),
        ({"users": True}, "users: must be a number"),
        ({"users": 10.5}, "users: must be a whole number"),
        ({"daily_active_share": 1.5}, "daily_active_share: must be a fraction"),
        ({"daily_active_share": 0}, "daily_active_share: must be a fraction"),
        ({"peak_hour_share": 0.01}, "peak_hour_share: 0.01 is below 1/24 = 0.0417"),
        ({"target_utilisation": 0}, "target_utilisation: must be a fraction"),
        ({"requests_per_active_user_per_day": 0}, "requests_per_active_user_per_day: must be"),
        ({"redundancy": -1}, "redundancy: must be at least 0"),
        ({"growth_per_iteration": -0.5}, "growth_per_iteration: must be between 0 and 10"),
        ({"iterations": 100}, "iterations: at most 52"),
        ({"rps_per_instance": 0}, "rps_per_instance: must be above 0"),
        ({"instance": {"workers": 0, "threads": 4}}, "instance.workers: must be at least 1"),
        ({"instance": {"workers": 1}}, "instance.threads: missing"),
        ({"usres": 5}, "usres: unknown key (did you mean 'users'?)"),
        (
            {"database": {"max_connections": 5, "reserved_connections": 3, "other_connections": 2}},
            "database: reserved_connections + other_connections leave no connection",
        ),
    ],
)
def test_nonsense_is_refused_with_a_message_naming_the_field(change, message):
    with pytest.raises(WorkloadError, match="^" + re.escape(message)):
        workload(**change)


def test_a_missing_field_or_section_is_named():
    with pytest.raises(WorkloadError, match=r"^peak_hour_share: must be a number, got None"):
        workload(peak_hour_share=None)
    with pytest.raises(WorkloadError, match=r"^instance: missing, or not a mapping"):
        workload(instance=None)
    flat = vars(workload())  # the dataclass's flat fields are not the file's layout
    with pytest.raises(WorkloadError, match=r"^workers: unknown key"):
        parse_workload(flat)
    with pytest.raises(WorkloadError, match="the workload file must be a YAML mapping"):
        parse_workload(["users", 5])
