"""What a capacity run measured, kept as results.json so the plan and report can be redone
(`paytungan-capacity plan --results ...`) without load-testing again."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from capacity.planner.calibrate import calibration_ms
from capacity.planner.knee import Knee, Slo, StepResult, breaches, find_knee
from capacity.planner.routes import RouteFigures
from capacity.planner.runner import Schedule, StepRecord


@dataclass
class Run:
    instances: int
    steps: list[StepRecord]

    def knee(self, slo: Slo) -> Knee:
        return find_knee([s.result for s in self.steps], slo)


@dataclass
class Results:
    generated_at: str
    machine: dict[str, Any]
    target: str
    schedule: Schedule
    slo: Slo
    runs: list[Run] = field(default_factory=list)
    routes: list[RouteFigures] = field(default_factory=list)
    workers: int = 2  # the shape of each instance under test
    threads: int = 4
    verification: dict[str, Any] | None = None  # the safe rate held again (cli.verify_safe_rate)

    @property
    def schedule_slots(self) -> tuple[int, int]:
        return self.workers, self.threads

    def run(self, instances: int) -> Run | None:
        return next((r for r in self.runs if r.instances == instances), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "machine": self.machine,
            "target": self.target,
            "schedule": asdict(self.schedule),
            "slo": asdict(self.slo),
            "runs": [
                {
                    "instances": run.instances,
                    "knee": _knee_json(run.knee(self.slo)),
                    "steps": [
                        {
                            **s.result.to_dict(),
                            "verdict": s.verdict,
                            "by_name": s.by_name,
                            "runs": [r.to_dict() for r in s.repeats],
                        }
                        for s in run.steps
                    ],
                }
                for run in self.runs
            ],
            "routes": [asdict(r) for r in self.routes],
            "workers": self.workers,
            "threads": self.threads,
            "verification": self.verification,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path, slo: Slo | None = None) -> Results:
        data = json.loads(path.read_text())
        results = cls(
            generated_at=data["generated_at"],
            machine=data["machine"],
            target=data["target"],
            schedule=Schedule(**data["schedule"]),
            slo=slo or Slo(**data["slo"]),
            routes=[RouteFigures(**r) for r in data.get("routes", [])],
            workers=data.get("workers", 1),
            threads=data.get("threads", 4),
            verification=data.get("verification"),
        )
        for run in data["runs"]:
            steps = []
            for s in run["steps"]:
                result = StepResult.from_dict(s)
                verdict = breaches(result, results.slo)
                repeats = [StepResult.from_dict(r) for r in s.get("runs", [])]
                steps.append(StepRecord(result, s.get("by_name", {}), verdict, repeats))
            results.runs.append(Run(run["instances"], steps))
        return results


def _knee_json(knee: Knee) -> dict[str, Any]:
    return {
        "rps": knee.rps,
        "users": knee.step.users if knee.step else None,
        "p95_ms": knee.step.p95_ms if knee.step else None,
        "saturated": knee.saturated,
        "reason": knee.reason,
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average_start": load,
        # The CPU yardstick (calibrate.py): CPU costs measured here scale to another host by it.
        "calibration_ms": calibration_ms(),
    }
