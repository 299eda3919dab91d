"""The workload model: who uses Paytungan how much, read from YAML and refused when nonsensical.

Every field is documented in capacity/workload.yaml. A typo'd or missing key, a negative count,
a share outside (0, 1] or a busiest hour lighter than an average one is an error naming the
field, never a silently wrong plan.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class WorkloadError(ValueError):
    """Bad workload input; the message says which field and why."""


@dataclass(frozen=True)
class Workload:
    users: int
    daily_active_share: float
    requests_per_active_user_per_day: float
    peak_hour_share: float
    growth_per_iteration: float
    iterations: int
    target_utilisation: float
    redundancy: int
    current_instances: int | None
    workers: int
    threads: int
    db_max_connections: int
    db_reserved_connections: int
    db_other_connections: int
    rps_per_instance: float | None
    deploy_overlap: int = 1  # API revisions holding connections at once during a rollout
    cpus: float = 1.0  # vCPUs of one instance
    calibration_ms: float | None = None  # the CPU yardstick on the target host (calibrate.py)
    db_round_trip_ms: float = 1.0  # one query's network round trip, API instance -> database
    db_cpus: float = 2.0  # the database's vCPUs

    @property
    def slots_per_instance(self) -> int:
        """Concurrent requests one instance serves; also its database connections (one per
        thread, kept open by CONN_MAX_AGE)."""
        return self.workers * self.threads


_TOP = {
    "users", "daily_active_share", "requests_per_active_user_per_day", "peak_hour_share",
    "growth_per_iteration", "iterations", "target_utilisation", "redundancy",
    "current_instances", "instance", "database", "rps_per_instance",
}  # fmt: skip
_INSTANCE = {"workers", "threads", "cpus", "calibration_ms"}
_DATABASE = {
    "max_connections", "reserved_connections", "other_connections", "deploy_overlap",
    "round_trip_ms", "cpus",
}  # fmt: skip


def _number(data: dict[str, Any], key: str, where: str = "") -> float:
    name = f"{where}{key}"
    if key not in data:
        raise WorkloadError(f"{name}: missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WorkloadError(f"{name}: must be a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise WorkloadError(f"{name}: must be a finite number, got {value!r}")
    return float(value)


def _integer(data: dict[str, Any], key: str, where: str = "", *, minimum: int) -> int:
    value = _number(data, key, where)
    if value != int(value):
        raise WorkloadError(f"{where}{key}: must be a whole number, got {data[key]!r}")
    if value < minimum:
        raise WorkloadError(f"{where}{key}: must be at least {minimum}, got {data[key]!r}")
    return int(value)


def _share(data: dict[str, Any], key: str) -> float:
    value = _number(data, key)
    if not 0 < value <= 1:
        raise WorkloadError(f"{key}: must be a fraction above 0 and at most 1, got {value!r}")
    return value


def _check_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise WorkloadError(f"{where}{key}: unknown key{hint}")


def _section(data: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise WorkloadError(f"{key}: missing, or not a mapping of {', '.join(sorted(allowed))}")
    _check_keys(section, allowed, f"{key}.")
    return section


def _optional_positive(data: dict[str, Any], key: str, where: str, default: float | None) -> Any:
    if data.get(key) is None:
        return default
    value = _number(data, key, where)
    if not value > 0:
        raise WorkloadError(f"{where}{key}: must be above 0, got {data[key]!r}")
    return value


def _iterations(data: dict[str, Any]) -> int:
    value = _integer(data, "iterations", minimum=1)
    if value > 52:
        raise WorkloadError(f"iterations: at most 52 (a year of weekly iterations), got {value}")
    return value


def parse_workload(data: object) -> Workload:
    if not isinstance(data, dict):
        raise WorkloadError("the workload file must be a YAML mapping of fields to values")
    _check_keys(data, _TOP, "")
    users = _integer(data, "users", minimum=1)
    requests = _number(data, "requests_per_active_user_per_day")
    if requests <= 0:
        raise WorkloadError(f"requests_per_active_user_per_day: must be above 0, got {requests!r}")
    peak = _share(data, "peak_hour_share")
    if peak < 1 / 24 - 1e-12:
        raise WorkloadError(
            f"peak_hour_share: {peak!r} is below 1/24 = 0.0417; the busiest hour carries at "
            "least an average hour's share of the day"
        )
    growth = _number(data, "growth_per_iteration")
    if not 0 <= growth <= 10:
        raise WorkloadError(f"growth_per_iteration: must be between 0 and 10, got {growth!r}")
    instance = _section(data, "instance", _INSTANCE)
    database = _section(data, "database", _DATABASE)
    max_conn = _integer(database, "max_connections", "database.", minimum=1)
    reserved = _integer(database, "reserved_connections", "database.", minimum=0)
    other = _integer(database, "other_connections", "database.", minimum=0)
    if reserved + other >= max_conn:
        raise WorkloadError(
            "database: reserved_connections + other_connections leave no connection for the API"
        )
    overlap = (
        _integer(database, "deploy_overlap", "database.", minimum=1)
        if "deploy_overlap" in database
        else 1
    )
    if overlap > 3:
        raise WorkloadError(f"database.deploy_overlap: at most 3 revisions, got {overlap}")
    rps = data.get("rps_per_instance")
    if rps is not None:
        rps = _number(data, "rps_per_instance")
        if rps <= 0:
            raise WorkloadError(f"rps_per_instance: must be above 0, got {rps!r}")
    current = data.get("current_instances")
    return Workload(
        users=users,
        daily_active_share=_share(data, "daily_active_share"),
        requests_per_active_user_per_day=requests,
        peak_hour_share=peak,
        growth_per_iteration=growth,
        iterations=_iterations(data),
        target_utilisation=_share(data, "target_utilisation"),
        redundancy=_integer(data, "redundancy", minimum=0),
        current_instances=(
            None if current is None else _integer(data, "current_instances", minimum=0)
        ),
        workers=_integer(instance, "workers", "instance.", minimum=1),
        threads=_integer(instance, "threads", "instance.", minimum=1),
        db_max_connections=max_conn,
        db_reserved_connections=reserved,
        db_other_connections=other,
        rps_per_instance=rps,
        deploy_overlap=overlap,
        cpus=_optional_positive(instance, "cpus", "instance.", 1.0),
        calibration_ms=_optional_positive(instance, "calibration_ms", "instance.", None),
        db_round_trip_ms=_optional_positive(database, "round_trip_ms", "database.", 1.0),
        db_cpus=_optional_positive(database, "cpus", "database.", 2.0),
    )


def load_workload(path: str | Path) -> Workload:
    file = Path(path)
    if not file.is_file():
        raise WorkloadError(f"workload file not found: {file}")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WorkloadError(f"{file}: not valid YAML ({exc})") from None
    return parse_workload(data)
