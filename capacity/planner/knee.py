"""Step results of a load test and the knee: the highest request rate the service sustained with
p95 latency and the error rate inside the SLO.

Steps are run in rising load, each repeated (`--repeats`). The rule (docs/decisions/0010):
- a step passes only if every one of its repeats is inside the SLO (worst p95, worst error rate);
- the first step that breaks the SLO ends the safe range: nothing above it counts, even a later
  step that happens to pass (a failing step is never excused as a hiccup);
- the knee is the highest passing step below that first failing step, and the safe rate is the
  knee times a headroom factor (the workload's target_utilisation).
A step's figures are the median of its repeats, with the spread (min..max) beside them.
Only latency and errors decide: `pace_held` (actions done / actions scheduled) is reported beside
them as a check on the load generator itself.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Slo:
    p95_ms: float = 300.0
    error_rate: float = 0.001  # 0.1 %

    def __post_init__(self) -> None:
        if not self.p95_ms > 0:
            raise ValueError(f"SLO p95 must be above 0 ms, got {self.p95_ms:g}")
        if not 0 < self.error_rate < 1:
            raise ValueError(f"SLO error rate must be between 0 and 100 %, got {self.error_rate:g}")


@dataclass(frozen=True)
class StepResult:
    users: int
    seconds: float
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    pace_held: float = 1.0  # actions per second achieved / set by the pacing
    instances: int = 1
    # Of several repeats: how many, and the spread; a single run leaves them at their defaults.
    repeats: int = 1
    rps_min: float | None = None
    rps_max: float | None = None
    p95_min_ms: float | None = None
    p95_max_ms: float | None = None
    worst_error_rate: float | None = None
    # CPU milliseconds per request over the step's window (/proc of the processes), if measured.
    server_cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    loadgen_cpu_ms: float | None = None

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def worst_p95_ms(self) -> float:
        return self.p95_ms if self.p95_max_ms is None else max(self.p95_ms, self.p95_max_ms)

    @property
    def worst_errors(self) -> float:
        if self.worst_error_rate is None:
            return self.error_rate
        return max(self.error_rate, self.worst_error_rate)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 2) if present else None


def combine(repeats: list[StepResult]) -> StepResult:
    """One step from its repeats: medians, the spread, and the worst p95 and error rate (which
    decide the verdict)."""
    if not repeats:
        raise ValueError("a step needs at least one repeat")
    if len(repeats) == 1:
        return repeats[0]
    first = repeats[0]

    def med(name: str) -> float:
        return float(statistics.median(getattr(r, name) for r in repeats))

    return StepResult(
        users=first.users,
        seconds=sum(r.seconds for r in repeats),
        requests=sum(r.requests for r in repeats),
        failures=sum(r.failures for r in repeats),
        rps=med("rps"),
        p50_ms=med("p50_ms"),
        p95_ms=med("p95_ms"),
        p99_ms=med("p99_ms"),
        mean_ms=med("mean_ms"),
        pace_held=med("pace_held"),
        instances=first.instances,
        repeats=len(repeats),
        rps_min=min(r.rps for r in repeats),
        rps_max=max(r.rps for r in repeats),
        p95_min_ms=min(r.p95_ms for r in repeats),
        p95_max_ms=max(r.p95_ms for r in repeats),
        worst_error_rate=max(r.error_rate for r in repeats),
        server_cpu_ms=_median([r.server_cpu_ms for r in repeats]),
        db_cpu_ms=_median([r.db_cpu_ms for r in repeats]),
        loadgen_cpu_ms=_median([r.loadgen_cpu_ms for r in repeats]),
    )


def breaches(step: StepResult, slo: Slo) -> list[str]:
    """Why a step is outside the SLO (in its worst repeat); empty when inside."""
    if step.requests == 0:
        return ["no request completed"]
    why = []
    worst = "worst repeat " if step.repeats > 1 else ""
    if step.worst_p95_ms >= slo.p95_ms:
        why.append(f"{worst}p95 {step.worst_p95_ms:.0f} ms >= {slo.p95_ms:g} ms")
    if step.worst_errors >= slo.error_rate:
        why.append(f"{worst}errors {step.worst_errors:.2%} >= {slo.error_rate:.2%}")
    return why


@dataclass(frozen=True)
class Knee:
    step: StepResult | None  # None: even the lightest step broke the SLO
    saturated: bool  # some step broke the SLO, so the knee is a measurement, not a lower bound
    failed_step: StepResult | None
    reason: str

    @property
    def rps(self) -> float:
        return self.step.rps if self.step else 0.0

    def safe_rps(self, headroom: float) -> float:
        """The rate to plan and verify with: the knee with headroom (0 < headroom <= 1)."""
        if not 0 < headroom <= 1:
            raise ValueError(f"headroom must be in (0, 1], got {headroom:g}")
        return self.rps * headroom


def first_failure(steps: list[StepResult], slo: Slo) -> int | None:
    """Index of the first step (in order of load) outside the SLO: the end of the safe range."""
    return next((i for i, s in enumerate(steps) if breaches(s, slo)), None)


def find_knee(steps: list[StepResult], slo: Slo) -> Knee:
    if not steps:
        return Knee(None, False, None, "no steps were run")
    ordered = sorted(steps, key=lambda s: s.users)
    end = first_failure(ordered, slo)
    below = ordered if end is None else ordered[:end]
    best = max(below, key=lambda s: s.rps, default=None)
    if end is None:
        return Knee(best, False, None, "no step broke the SLO: capacity is at least this")
    failed = ordered[end]
    reason = f"{failed.users} users: " + "; ".join(breaches(failed, slo))
    return Knee(best, True, failed, reason)
