"""Runs Locust headless against one URL in rising steps and shows its progress live.

Locust runs as a child process with capacity/locustfile.py, which writes one JSON line per
finished step (steps.jsonl) and a rolling 5-second status (live.json); this module follows both,
draws a progress bar with the live RPS, p95 and error rate, and stops the test once two steps
in a row break the SLO (knee.py: that confirms saturation; more steps would only burn time).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from capacity.planner.knee import Slo, StepResult, breaches


@dataclass(frozen=True)
class Schedule:
    steps: list[int]  # users per step, rising
    step_seconds: float
    warmup_seconds: float
    pace: float  # actions per user per second
    auth: str = "session"

    def __post_init__(self) -> None:
        if not self.steps or any(n < 1 for n in self.steps):
            raise ValueError("steps: give at least one step of 1 user or more")
        if self.warmup_seconds < 0 or self.step_seconds <= self.warmup_seconds + 2:
            raise ValueError("step seconds must exceed the warm-up by more than 2 s")
        if not 0 < self.pace <= 10:
            raise ValueError("pace: actions per user per second must be in (0, 10]")
        if self.auth not in ("session", "token"):
            raise ValueError("auth: session or token")


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
    result: StepResult
    by_name: dict[str, dict[str, float]]
    verdict: list[str]


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


def _step_line(rec: StepRecord) -> str:
    r = rec.result
    verdict = "inside SLO" if not rec.verdict else "OUT: " + "; ".join(rec.verdict)
    return (
        f"  step {r.users:>4} users: {r.rps:7.1f} rps  p50 {r.p50_ms:5.0f}  p95 {r.p95_ms:5.0f} ms"
        f"  err {r.error_rate:6.2%}  pace {r.pace_held:4.0%}  {verdict}"
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
        "CAPACITY_STEPS": ",".join(str(n) for n in schedule.steps),
        "CAPACITY_STEP_SECONDS": str(schedule.step_seconds),
        "CAPACITY_WARMUP_SECONDS": str(schedule.warmup_seconds),
        "CAPACITY_OUT": str(raw),
    }
    locust = Path(sys.executable).with_name("locust")
    command = [
        str(locust), "-f", str(locustfile), "--headless", "--host", url, "--only-summary",
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    total_seconds = len(schedule.steps) * schedule.step_seconds
    records: list[StepRecord] = []
    seen = 0
    with (raw / "locust.log").open("w") as log:
        proc = subprocess.Popen(  # noqa: S603 - our venv's locust, fixed arguments
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started = time.monotonic()
        try:
            while proc.poll() is None:
                time.sleep(0.5)
                seen = _collect(raw, seen, records, slo, instances, progress)
                if len(records) >= 2 and records[-1].verdict and records[-2].verdict:
                    progress.say(f"{label}: two steps in a row broke the SLO; stopping")
                    _stop(proc)
                    break
                elapsed = time.monotonic() - started
                if elapsed > total_seconds + 90:
                    progress.say(f"{label}: Locust overran its schedule; stopping it")
                    _stop(proc)
                    break
                progress.live(label, elapsed / total_seconds, _live(raw), len(schedule.steps))
        finally:
            if proc.poll() is None:
                _stop(proc)
    _collect(raw, seen, records, slo, instances, progress)
    if not records:
        progress.say(f"{label}: no step finished; see {raw / 'locust.log'}")
    return records


def _live(raw: Path) -> dict[str, Any]:
    try:
        status: dict[str, Any] = json.loads((raw / "live.json").read_text())
        return status
    except (OSError, ValueError):
        return {}


def _collect(
    raw: Path, seen: int, records: list[StepRecord], slo: Slo, instances: int, progress: Progress
) -> int:
    try:
        lines = (raw / "steps.jsonl").read_text().splitlines()
    except OSError:
        return seen
    for line in lines[seen:]:
        data = json.loads(line)
        result = StepResult.from_dict({**data, "instances": instances})
        record = StepRecord(result, data.get("by_name", {}), breaches(result, slo))
        records.append(record)
        progress.say(_step_line(record))
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
