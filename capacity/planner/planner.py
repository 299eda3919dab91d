"""The arithmetic of the plan. Worked examples are written out in tests/test_planner.py.

peak RPS     = users x daily active share x requests per active user per day
               x peak-hour share / 3600 s
instances    = ceil(peak RPS / (RPS per instance x target utilisation)), at least 1,
               + redundancy (N+1: Cloud Run spreads instances over zones; losing one zone's
               instance, or one in a rollout, leaves N for the peak)

RPS per instance, portable (ADR 0010), from the costs measured per request on the test host:
  CPU ms there = server CPU ms here x (calibration there / calibration here)
  CPU bound    = instance vCPUs x 1000 / CPU ms there
  service ms   = CPU ms there + DB queries x DB round trip + DB CPU ms (the database's work)
  thread bound = workers x threads x 1000 / service ms       (Little's law: L = lambda x W)
  RPS          = min(CPU bound, thread bound)
DB CPU       = peak RPS x DB CPU ms per request / 1000 (cores), against the database's vCPUs
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
class Cost:
    """What one request costs, measured on the test host (at the knee step)."""

    server_cpu_ms: float
    db_cpu_ms: float
    queries_per_request: float
    calibration_ms: float  # the yardstick on the test host


@dataclass(frozen=True)
class InstanceModel:
    cost: Cost
    scale: float  # calibration there / here
    cpu_ms: float  # server CPU per request on the target
    cpu_bound_rps: float
    service_ms: float
    thread_bound_rps: float

    @property
    def rps(self) -> float:
        return min(self.cpu_bound_rps, self.thread_bound_rps)

    @property
    def limited_by(self) -> str:
        return "CPU" if self.cpu_bound_rps <= self.thread_bound_rps else "threads waiting on the DB"


def model_instance(w: Workload, cost: Cost) -> InstanceModel:
    if min(cost.server_cpu_ms, cost.calibration_ms) <= 0:
        raise ValueError("a measured CPU cost and calibration must be above 0")
    scale = (w.calibration_ms / cost.calibration_ms) if w.calibration_ms else 1.0
    cpu_ms = cost.server_cpu_ms * scale
    service = cpu_ms + cost.queries_per_request * w.db_round_trip_ms + max(0.0, cost.db_cpu_ms)
    return InstanceModel(
        cost=cost,
        scale=scale,
        cpu_ms=cpu_ms,
        cpu_bound_rps=w.cpus * 1000 / cpu_ms,
        service_ms=service,
        thread_bound_rps=w.slots_per_instance * 1000 / service,
    )


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
    model: InstanceModel | None = None
    db_cpu_cores_now: float | None = None  # at today's peak
    db_cpu_cores_last: float | None = None  # at the projection's last iteration


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


def make_plan(
    w: Workload, *, rps_per_instance: float | None = None, source: str = "",
    cost: Cost | None = None,
) -> Plan:  # fmt: skip
    """With a measured `cost` (and no explicit rate) the RPS per instance is modelled for the
    target instance; otherwise the given rate, else the workload file's."""
    model = model_instance(w, cost) if cost is not None else None
    if rps_per_instance is None and model is not None:
        rps_per_instance = model.rps
        source = source or f"modelled from the measured CPU cost, limited by {model.limited_by}"
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
        model=model,
        db_cpu_cores_now=now.peak_rps * cost.db_cpu_ms / 1000 if cost else None,
        db_cpu_cores_last=projection[-1].peak_rps * cost.db_cpu_ms / 1000 if cost else None,
    )
