"""The arithmetic of the plan. Worked examples are written out in tests/test_planner.py.

peak RPS     = users x daily active share x requests per active user per day
               x peak-hour share / 3600 s
instances    = ceil(peak RPS / (RPS per instance x target utilisation)), at least 1,
               + redundancy (N+2: survive one instance failing while another is redeployed)
DB conns     = instances x workers x threads (one persistent connection per thread)
               x deploy overlap (old and new revisions both connected during a rollout)
               + other connections (relay, jobs, shells); usable = max - reserved
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from capacity.planner.workload import Workload

SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86400
_EPS = 1e-9  # 72.0000000001 RPS over 36 per instance is 2 instances, not 3


@dataclass(frozen=True)
class Need:
    iteration: int
    users: int
    peak_rps: float
    average_rps: float
    instances_for_load: int
    instances: int  # with redundancy
    db_connections: int
    db_fits: bool


@dataclass(frozen=True)
class Plan:
    workload: Workload
    rps_per_instance: float
    rps_source: str
    now: Need
    projection: list[Need]  # iteration 0 (now) .. workload.iterations
    db_usable: int
    max_instances_by_db: int
    current_instances: int
    peak_utilisation_now: float  # of the instances running now, at today's peak
    unused_share_now: float
    scale_this_iteration: bool
    next_iteration: Need


def peak_rps(w: Workload, users: float) -> float:
    return (
        users
        * w.daily_active_share
        * w.requests_per_active_user_per_day
        * w.peak_hour_share
        / SECONDS_PER_HOUR
    )


def average_rps(w: Workload, users: float) -> float:
    return users * w.daily_active_share * w.requests_per_active_user_per_day / SECONDS_PER_DAY


def instances_for_load(peak: float, rps_per_instance: float, target: float) -> int:
    if rps_per_instance <= 0 or not 0 < target <= 1:
        raise ValueError("RPS per instance must be above 0 and the target in (0, 1]")
    return max(1, math.ceil(peak / (rps_per_instance * target) - _EPS))


def need(w: Workload, rps_per_instance: float, iteration: int) -> Need:
    users = round(w.users * (1 + w.growth_per_iteration) ** iteration)
    peak = peak_rps(w, users)
    for_load = instances_for_load(peak, rps_per_instance, w.target_utilisation)
    total = for_load + w.redundancy
    conns = total * w.slots_per_instance * w.deploy_overlap + w.db_other_connections
    return Need(
        iteration=iteration,
        users=users,
        peak_rps=peak,
        average_rps=average_rps(w, users),
        instances_for_load=for_load,
        instances=total,
        db_connections=conns,
        db_fits=conns <= w.db_max_connections - w.db_reserved_connections,
    )


def make_plan(w: Workload, *, rps_per_instance: float | None = None, source: str = "") -> Plan:
    rps = rps_per_instance if rps_per_instance is not None else w.rps_per_instance
    if rps is None:
        raise ValueError("no RPS per instance: run a load test or set rps_per_instance")
    if rps <= 0:
        raise ValueError(f"RPS per instance must be above 0, got {rps}")
    projection = [need(w, rps, i) for i in range(w.iterations + 1)]
    now, nxt = projection[0], projection[1]
    current = w.current_instances if w.current_instances is not None else now.instances
    usable = w.db_max_connections - w.db_reserved_connections
    utilisation = now.peak_rps / (current * rps) if current else math.inf
    return Plan(
        workload=w,
        rps_per_instance=rps,
        rps_source=source or "workload file (rps_per_instance)",
        now=now,
        projection=projection,
        db_usable=usable,
        max_instances_by_db=max(
            0, (usable - w.db_other_connections) // (w.slots_per_instance * w.deploy_overlap)
        ),
        current_instances=current,
        peak_utilisation_now=utilisation,
        unused_share_now=max(0.0, 1 - utilisation),
        scale_this_iteration=nxt.instances > current,
        next_iteration=nxt,
    )
