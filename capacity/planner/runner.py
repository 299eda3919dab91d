"""Runs Locust headless against one URL in rising steps and shows its progress live.

Locust runs as a child process with capacity/locustfile.py, which writes one JSON line per
finished step repeat (steps.jsonl) and a rolling 5-second status (live.json); this module follows
both, draws a progress bar with the live RPS, p95 and error rate, and stops the test at the first
repeat outside the SLO (knee.py: that step ends the safe range; more steps would only burn time).
Each step runs `repeats` times back to back at the same load; the repeats are combined into one
step (median and spread). With `cpu_pids`, the locustfile also reads the CPU time of the server's
and the database's processes (/proc) and its own, per step, and reports it per request.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from capacity.planner.knee import Slo, StepResult, breaches, combine


@dataclass(frozen=True)
class Schedule:
    steps: list[int]  # users per step, rising
    step_seconds: float
    warmup_seconds: float
    pace: float  # actions per user per second
    auth: str = "session"
    repeats: int = 1  # runs of each step, back to back

    @property
    def locust_steps(self) -> list[int]:
        """What Locust runs: one unmeasured warm-up step at the first load (cold workers, empty
        caches, first connections: not the service's steady state), then each step `repeats`
        times."""
        return [self.steps[0], *(n for n in self.steps for _ in range(self.repeats))]

    def __post_init__(self) -> None:
        if not self.steps or any(n < 1 for n in self.steps):
            raise ValueError("steps: give at least one step of 1 user or more")
        if self.warmup_seconds < 0 or self.step_seconds <= self.warmup_seconds + 2:
            raise ValueError("step seconds must exceed the warm-up by more than 2 s")
        if not 0 < self.pace <= 10:
            raise ValueError("pace: actions per user per second must be in (0, 10]")
        if self.auth not in ("session", "token"):
            raise ValueError("auth: session or token")
        if not 1 <= self.repeats <= 10:
            raise ValueError("repeats: between 1 and 10 runs of each step")


def refine_steps(passed: int, failed: int, count: int) -> list[int]:
    """`count` user counts spaced geometrically strictly between a passing and a failing step,
    to find the knee finer than the schedule's factor."""
    if count < 1 or failed <= passed + 1:
        return []
    ratio = failed / passed
    inner = {round(passed * ratio ** (i / (count + 1))) for i in range(1, count + 1)}
    return sorted(n for n in inner if passed < n < failed)


def geometric_steps(start: int, factor: float, count: int) -> list[int]:
    if start < 1 or factor <= 1 or count < 1:
        raise ValueError("steps: need start >= 1, factor > 1 and at least one step")
    steps = [start]
    while len(steps) < count:
        steps.append(max(steps[-1] + 1, round(steps[-1] * factor)))
    return steps


@dataclass
class StepRecord:
    result: StepResult  # the repeats combined (knee.combine)
    by_name: dict[str, dict[str, float]]  # of the first repeat
    verdict: list[str]
    repeats: list[StepResult] = field(default_factory=list)


class Progress:
    """One live line on a terminal (redrawn in place); a line every 10 s elsewhere (CI logs)."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_plain = 0.0

    def live(self, label: str, fraction: float, status: dict[str, Any], total: int) -> None:
        width = 24
        filled = int(width * min(max(fraction, 0.0), 1.0))
        bar = "#" * filled + "." * (width - filled)
        step = min(int(status.get("step", 0)) + 1, total)
        line = (
            f"{label} [{bar}] {fraction:4.0%} step {step}/{total} "
            f"{status.get('users', 0):>4} users | {status.get('rps', 0):6.1f} rps  "
            f"p95 {status.get('p95_ms', 0):6.0f} ms  err {status.get('error_rate', 0):6.2%}"
        )
        if self.tty:
            self.stream.write("\r" + line.ljust(110)[:110])
            self.stream.flush()
        elif time.monotonic() - self.last_plain >= 10:
            self.last_plain = time.monotonic()
            self.stream.write(line + "\n")
            self.stream.flush()

    def say(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 110 + "\r")
        self.stream.write(line + "\n")
        self.stream.flush()


def _repeat_line(r: StepResult, slo: Slo) -> str:
    why = breaches(r, slo)
    verdict = "inside SLO" if not why else "OUT: " + "; ".join(why)
    cpu = f"  cpu {r.server_cpu_ms:4.1f} ms/req" if r.server_cpu_ms is not None else ""
    return (
        f"  step {r.users:>4} users: {r.rps:7.1f} rps  p50 {r.p50_ms:5.0f}  p95 {r.p95_ms:5.0f} ms"
        f"  err {r.error_rate:6.2%}  pace {r.pace_held:4.0%}{cpu}  {verdict}"
    )


def run_steps(
    *,
    url: str,
    accounts: Path,
    schedule: Schedule,
    slo: Slo,
    instances: int,
    workdir: Path,
    locustfile: Path,
    progress: Progress,
    label: str,
    raw_name: str = "",
    cpu_pids: dict[str, list[int]] | None = None,
) -> list[StepRecord]:
    raw = workdir / (raw_name or f"raw-{instances}")
    raw.mkdir(parents=True, exist_ok=True)
    for stale in ("steps.jsonl", "live.json"):
        (raw / stale).unlink(missing_ok=True)
    env = {
        **os.environ,
        "CAPACITY_ACCOUNTS": str(accounts),
        "CAPACITY_AUTH": schedule.auth,
        "CAPACITY_PACE": str(schedule.pace),
        "CAPACITY_STEPS": ",".join(str(n) for n in schedule.locust_steps),
        "CAPACITY_CPU_PIDS": ";".join(
            f"{group}={','.join(str(p) for p in pids)}" for group, pids in (cpu_pids or {}).items()
        ),
        "CAPACITY_STEP_SECONDS": str(schedule.step_seconds),
        "CAPACITY_WARMUP_SECONDS": str(schedule.warmup_seconds),
        "CAPACITY_OUT": str(raw),
    }
    locust = Path(sys.executable).with_name("locust")
    command = [
        str(locust), "-f", str(locustfile), "--headless", "--host", url, "--only-summary",
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    total_seconds = len(schedule.locust_steps) * schedule.step_seconds
    records: list[StepRecord] = []
    pending: list[tuple[StepResult, dict[str, dict[str, float]]]] = []
    seen = 0
    with (raw / "locust.log").open("w") as log:
        proc = subprocess.Popen(  # noqa: S603 - our venv's locust, fixed arguments
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started = time.monotonic()
        try:
            while proc.poll() is None:
                time.sleep(0.5)
                seen = _collect(raw, seen, records, pending, schedule, slo, instances, progress)
                if records and records[-1].verdict:
                    progress.say(f"{label}: a step broke the SLO (end of the safe range); stopping")
                    _stop(proc)
                    break
                elapsed = time.monotonic() - started
                if elapsed > total_seconds + 90:
                    progress.say(f"{label}: Locust overran its schedule; stopping it")
                    _stop(proc)
                    break
                total = len(schedule.locust_steps)
                progress.live(label, elapsed / total_seconds, _live(raw), total)
        finally:
            if proc.poll() is None:
                _stop(proc)
    _collect(raw, seen, records, pending, schedule, slo, instances, progress)
    if pending and not (records and records[-1].verdict):
        records.append(_record(pending, slo))  # a step cut short: the repeats it finished
    if not records:
        progress.say(f"{label}: no step finished; see {raw / 'locust.log'}")
    return records


def _live(raw: Path) -> dict[str, Any]:
    try:
        status: dict[str, Any] = json.loads((raw / "live.json").read_text())
        return status
    except (OSError, ValueError):
        return {}


def _record(pending: list[tuple[StepResult, dict[str, dict[str, float]]]], slo: Slo) -> StepRecord:
    repeats = [r for r, _ in pending]
    result = combine(repeats)
    record = StepRecord(result, pending[0][1], breaches(result, slo), repeats)
    pending.clear()
    return record


def _collect(
    raw: Path, seen: int, records: list[StepRecord],
    pending: list[tuple[StepResult, dict[str, dict[str, float]]]], schedule: Schedule, slo: Slo,
    instances: int, progress: Progress,
) -> int:  # fmt: skip
    """Reads new lines of steps.jsonl (one per repeat); a step is complete after its repeats,
    or at its first repeat outside the SLO (that already fails the step)."""
    try:
        lines = (raw / "steps.jsonl").read_text().splitlines()
    except OSError:
        return seen
    for line in lines[seen:]:
        if records and records[-1].verdict:
            break  # past the end of the safe range: Locust is being stopped
        data = json.loads(line)
        if data.get("step") == 0:
            continue  # the warm-up step (Schedule.locust_steps)
        result = StepResult.from_dict({**data, "instances": instances})
        if pending and pending[0][0].users != result.users:
            records.append(_record(pending, slo))
        pending.append((result, data.get("by_name", {})))
        progress.say(_repeat_line(result, slo))
        if len(pending) >= schedule.repeats or breaches(result, slo):
            records.append(_record(pending, slo))
    return len(lines)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets Locust write the step it is in; its own process group, nothing else."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
