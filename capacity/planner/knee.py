"""Step results of a load test and the knee: the highest request rate the service sustained with
p95 latency and the error rate inside the SLO.

Steps are run in rising load. Saturation is confirmed by two failing steps in a row (or a failing
last step): once a service is past its knee, more load only makes it worse, so a lone failing step
between passing ones is a hiccup of the machine (another process, a GC pause, a checkpoint), and
is reported as such. The knee is the best passing step below the confirmed failure.
Only latency and errors decide: while p95 stays
under the SLO, actions of a few requests finish well inside a user's pacing interval, so the
offered load is delivered. `pace_held` (actions done / actions scheduled) is reported beside them
as a check on the load generator itself.
"""

from __future__ import annotations

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

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


def breaches(step: StepResult, slo: Slo) -> list[str]:
    """Why a step is outside the SLO; empty when inside."""
    if step.requests == 0:
        return ["no request completed"]
    why = []
    if step.p95_ms >= slo.p95_ms:
        why.append(f"p95 {step.p95_ms:.0f} ms >= {slo.p95_ms:g} ms")
    if step.error_rate >= slo.error_rate:
        why.append(f"errors {step.error_rate:.2%} >= {slo.error_rate:.2%}")
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


def confirmed_failure(steps: list[StepResult], slo: Slo) -> int | None:
    """Index of the first failing step followed by another failing step (or by none)."""
    failing = [bool(breaches(s, slo)) for s in steps]
    for i, fails in enumerate(failing):
        if fails and (i + 1 == len(steps) or failing[i + 1]):
            return i
    return None


def find_knee(steps: list[StepResult], slo: Slo) -> Knee:
    if not steps:
        return Knee(None, False, None, "no steps were run")
    end = confirmed_failure(steps, slo)
    below = steps if end is None else steps[:end]
    passing = [s for s in below if not breaches(s, slo)]
    best = max(passing, key=lambda s: s.rps, default=None)
    if end is None:
        reason = "no two steps in a row broke the SLO: capacity is at least this"
        return Knee(best, False, None, reason)
    failed = steps[end]
    reason = f"{failed.users} users: " + "; ".join(breaches(failed, slo))
    return Knee(best, True, failed, reason)
