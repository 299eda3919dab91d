"""The plan's arithmetic, checked against examples worked out by hand."""

from __future__ import annotations

import re
from typing import Any

import pytest

from capacity.planner.planner import Cost, instances_for_load, make_plan, model_instance, peak_rps
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
        "redundancy": 1,
        "current_instances": 3,
        "instance": {"workers": 1, "threads": 4},
        "database": {"max_connections": 100, "reserved_connections": 3, "other_connections": 5},
        "rps_per_instance": 60,
    }
    data.update(over)
    return parse_workload(data)


def test_the_issue_example_needs_one_instance_plus_one_spare():
    # 50,000 users x 20 % active = 10,000 active users a day
    # 10,000 x 30 requests = 300,000 requests a day; 15 % in the busiest hour = 45,000
    # 45,000 / 3600 s = 12.5 RPS at peak
    # one instance at 60 % of its 60 RPS carries 36 RPS: ceil(12.5 / 36) = ceil(0.347) = 1
    # N+1 (Cloud Run across zones): 1 + 1 = 2 instances
    plan = make_plan(workload())

    assert plan.now.peak_rps == pytest.approx(12.5)
    assert plan.now.average_rps == pytest.approx(300_000 / 86_400)  # 3.47 RPS over the day
    assert plan.now.instances_for_load == 1
    assert plan.now.instances == 2
    # 2 instances x 1 worker x 4 threads = 8 connections + 5 others = 13 of 100 - 3 usable
    assert plan.now.db_connections == 13
    assert plan.now.db_fits
    assert plan.db_usable == 97
    assert plan.max_instances_by_db == 23  # (97 - 5) // 4
    # The 3 running instances carry 180 RPS; the 12.5 RPS peak uses 6.9 % of it.
    assert plan.peak_utilisation_now == pytest.approx(12.5 / 180)
    assert plan.unused_share_now == pytest.approx(1 - 12.5 / 180)
    # Next iteration: 62,500 users -> 15.625 RPS -> ceil(15.625 / 36) = 1 -> 2: no scale-up.
    assert plan.next_iteration.users == 62_500
    assert plan.next_iteration.peak_rps == pytest.approx(15.625)
    assert plan.next_iteration.instances == 2
    assert not plan.scale_this_iteration


def test_a_large_user_base_needs_many_instances_and_outgrows_the_database():
    # 2,000,000 users x 25 % = 500,000 active; x 40 requests = 20,000,000 a day
    # 12 % in the busiest hour = 2,400,000; / 3600 = 666.67 RPS
    # ceil(666.67 / 36) = ceil(18.52) = 19, + 1 = 20 instances
    # 20 x (2 workers x 4 threads) = 160 connections + 5 = 165 > 97 usable: does not fit;
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
    assert plan.now.instances == 20
    assert plan.now.db_connections == 165
    assert not plan.now.db_fits
    assert plan.max_instances_by_db == 11
    # 12 instances x 60 RPS = 720 RPS; 666.67 / 720 = 92.6 % busy at peak.
    assert plan.peak_utilisation_now == pytest.approx(666.6667 / 720, rel=1e-6)
    # Next iteration: 2,500,000 users -> 833.33 RPS -> ceil(23.15) = 24 + 1 = 25 > 12 running.
    assert plan.next_iteration.instances == 25
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
    # 6 RPS per instance at 60 %: ceil(12.5/6)=3, ceil(25/6)=5, 9, 17, 34; + 1 each.
    assert [n.instances for n in plan.projection] == [4, 6, 10, 18, 35]
    assert plan.rps_source == "measured"
    assert plan.scale_this_iteration  # 6 needed next iteration, 3 running


def test_a_deploy_overlapping_two_revisions_doubles_the_api_connections():
    # docs/operations.md's budget: 2 workers x 4 threads, old and new revision both connected:
    # 2 instances x 8 x 2 = 32 + 5 others = 37; the database allows (97 - 5) // 16 = 5.
    db = {"max_connections": 100, "reserved_connections": 3, "other_connections": 5,
          "deploy_overlap": 2}  # fmt: skip
    plan = make_plan(workload(instance={"workers": 2, "threads": 4}, database=db))
    assert plan.now.db_connections == 37
    assert plan.max_instances_by_db == 5
    with pytest.raises(WorkloadError, match=r"^database\.deploy_overlap: at most 3"):
        workload(database={**db, "deploy_overlap": 4})


def test_without_a_current_count_the_plan_assumes_what_it_recommends():
    plan = make_plan(workload(current_instances=None))
    assert plan.current_instances == 2


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


PRODUCTION = {"workers": 2, "threads": 4, "cpus": 1, "calibration_ms": 50}
COST = Cost(server_cpu_ms=6, db_cpu_ms=1.5, queries_per_request=8, calibration_ms=40)


def test_a_measured_cpu_cost_is_carried_to_the_target_by_the_calibration_ratio():
    # The target's yardstick takes 50 ms where the test host's took 40: its core is 1.25x
    # slower, so 6 ms of CPU here is 7.5 ms there; 1 vCPU / 7.5 ms = 133.3 RPS.
    # A request holds a thread for 7.5 + 8 queries x 2 ms + 1.5 ms in the database = 25 ms;
    # 8 slots / 25 ms = 320 RPS. The lower bound, CPU, decides.
    w = workload(instance=PRODUCTION, database={**workload_db(), "round_trip_ms": 2})
    model = model_instance(w, COST)
    assert model.scale == pytest.approx(1.25)
    assert model.cpu_ms == pytest.approx(7.5)
    assert model.cpu_bound_rps == pytest.approx(1000 / 7.5)
    assert model.service_ms == pytest.approx(25)
    assert model.thread_bound_rps == pytest.approx(320)
    assert model.limited_by == "CPU"
    plan = make_plan(w, cost=COST)
    assert plan.rps_per_instance == pytest.approx(133.333, rel=1e-4)
    assert "modelled from the measured CPU cost" in plan.rps_source
    # The database: 12.5 RPS at peak x 1.5 ms = 0.019 of a core.
    assert plan.db_cpu_cores_now == pytest.approx(12.5 * 1.5 / 1000)


def test_far_from_the_database_the_threads_wait_and_limit_the_instance():
    # 19 queries x 10 ms round trip: 7.5 + 190 + 1.5 = 199 ms per request; 8 / 0.199 s = 40.2.
    w = workload(instance=PRODUCTION, database={**workload_db(), "round_trip_ms": 10})
    cost = Cost(server_cpu_ms=6, db_cpu_ms=1.5, queries_per_request=19, calibration_ms=40)
    model = model_instance(w, cost)
    assert model.rps == pytest.approx(8000 / 199)
    assert model.limited_by == "threads waiting on the DB"


def test_without_a_target_calibration_the_cost_is_taken_as_it_is():
    w = workload(instance={"workers": 2, "threads": 4})
    assert model_instance(w, COST).cpu_ms == 6
    assert w.cpus == 1
    assert w.db_round_trip_ms == 1.0


def workload_db() -> dict[str, Any]:
    return {"max_connections": 100, "reserved_connections": 3, "other_connections": 5}


def test_nonsense_in_the_new_fields_is_refused():
    with pytest.raises(WorkloadError, match=r"^instance\.cpus: must be above 0"):
        workload(instance={**PRODUCTION, "cpus": 0})
    with pytest.raises(WorkloadError, match=r"^database\.round_trip_ms: must be a number"):
        workload(database={**workload_db(), "round_trip_ms": "fast"})
