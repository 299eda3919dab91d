"""`paytungan-capacity`: load-test, find the knee, plan, report (docs/capacity.md).

  paytungan-capacity run   [--target stack|local|auto | --url URL --accounts FILE] [--instances N]
                           [--steps 20,40,80 | --start-users 20 --factor 1.5 --max-steps 8] ...
  paytungan-capacity plan  --workload FILE (--results results.json | --rps-per-instance X)
  paytungan-capacity check capacity-report

Input that makes no sense (a missing file, negative users, an SLO of 0 ms) stops it before any
load is sent, with a message naming what to fix and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from capacity.planner import report
from capacity.planner.check import problems
from capacity.planner.knee import Slo, find_knee
from capacity.planner.planner import Plan, make_plan
from capacity.planner.results import Results, Run, machine
from capacity.planner.routes import route_figures
from capacity.planner.runner import (
    Progress,
    Schedule,
    StepRecord,
    geometric_steps,
    refine_steps,
    run_steps,
)
from capacity.planner.targets import (
    LocalTarget,
    Setup,
    StackTarget,
    Target,
    UrlTarget,
    repo_root,
)
from capacity.planner.workload import Workload, WorkloadError, load_workload

DEFAULT_WORKLOAD = "capacity/workload.yaml"


class InputError(Exception):
    """Bad command-line input; exit status 2."""


def _positive(kind: type[float] | type[int], name: str) -> Callable[[str], float | int]:
    def parse(raw: str) -> float | int:
        try:
            value = kind(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {raw!r}") from None
        if not value > 0 or (isinstance(value, float) and not math.isfinite(value)):
            raise argparse.ArgumentTypeError(f"{name} must be above 0, got {raw!r}")
        return value

    return parse


def _slo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--slo-p95-ms", type=float, default=300.0, help="p95 latency SLO (300)")
    parser.add_argument(
        "--slo-errors", type=float, default=0.1, help="error-rate SLO in percent (0.1)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paytungan-capacity", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="load-test in rising steps, find the knee, plan, report")
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--target", choices=["auto", "stack", "local"], default="auto",
        help="stack: scripts/stack.sh, 1..N instances behind nginx; local: one gunicorn on "
        "$DATABASE_URL; auto: the stack when nginx is there, else local",
    )  # fmt: skip
    where.add_argument("--url", help="an existing deployment (staging); needs --accounts")
    run.add_argument("--accounts", type=Path, help="the seed script's accounts file (--url only)")
    run.add_argument("--instances", type=_positive(int, "--instances"), default=1,
                     help="measure 1..N instances (stack only)")  # fmt: skip
    run.add_argument("--steps", help="users per step, e.g. 20,40,80 (default: geometric)")
    run.add_argument("--start-users", type=_positive(int, "--start-users"), default=20)
    run.add_argument("--factor", type=_positive(float, "--factor"), default=1.5)
    run.add_argument("--max-steps", type=_positive(int, "--max-steps"), default=8)
    run.add_argument(
        "--refine",
        type=int,
        default=0,
        help="extra steps between the knee and the first step past it (0)",
    )
    run.add_argument("--step-seconds", type=_positive(float, "--step-seconds"), default=30.0)
    run.add_argument("--warmup-seconds", type=float, default=5.0)
    run.add_argument("--pace", type=_positive(float, "--pace"), default=0.2,
                     help="actions per user per second (0.2: one every 5 s)")  # fmt: skip
    run.add_argument("--auth", choices=["session", "token"], default="session")
    run.add_argument(
        "--workers",
        type=_positive(int, "--workers"),
        help="gunicorn workers per instance under test (default: the workload's)",
    )
    run.add_argument(
        "--threads",
        type=_positive(int, "--threads"),
        help="threads per worker under test (default: the workload's)",
    )
    run.add_argument("--workload", default=DEFAULT_WORKLOAD, help="workload YAML, or 'none'")
    run.add_argument("--out", type=Path, default=Path("capacity-report"))
    run.add_argument("--seed-users", type=_positive(int, "--seed-users"), default=1000)
    run.add_argument("--seed-groups", type=_positive(int, "--seed-groups"), default=500)
    run.add_argument("--bills-median", type=_positive(int, "--bills-median"), default=30)
    run.add_argument("--bills-max", type=_positive(int, "--bills-max"), default=400)
    _slo_options(run)

    plan = sub.add_parser("plan", help="a plan from a workload and a past run or a given RPS")
    plan.add_argument("--workload", default=DEFAULT_WORKLOAD)
    source = plan.add_mutually_exclusive_group()
    source.add_argument("--results", type=Path, help="results.json of an earlier run")
    source.add_argument("--rps-per-instance", type=_positive(float, "--rps-per-instance"))
    plan.add_argument("--out", type=Path, default=Path("capacity-report"))
    _slo_options(plan)

    check = sub.add_parser("check", help="fail unless a report has plausible, non-empty figures")
    check.add_argument("out", type=Path, nargs="?", default=Path("capacity-report"))
    return parser


def _slo(args: argparse.Namespace) -> Slo:
    try:
        return Slo(p95_ms=args.slo_p95_ms, error_rate=args.slo_errors / 100)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _workload(path: str) -> Workload | None:
    return None if path.lower() == "none" else load_workload(path)


def _plan(w: Workload | None, results: Results | None, slo: Slo, say: Progress) -> Plan | None:
    if w is None:
        return None
    one = results.run(1) if results else None
    knee = one.knee(slo) if one else None
    if knee is not None and knee.step is not None:
        source = "measured: the knee of 1 instance on this machine"
        if not knee.saturated:
            source += ", a lower bound (the SLO never broke)"
        return make_plan(w, rps_per_instance=knee.rps, source=source)
    if w.rps_per_instance is None:
        say.say("no knee measured and no rps_per_instance in the workload: no plan")
        return None
    if results is not None:
        say.say("no knee measured: planning with the workload file's rps_per_instance")
    return make_plan(w)


def _target(args: argparse.Namespace, w: Workload | None, progress: Progress) -> Target:
    setup = Setup(
        workers=args.workers or (w.workers if w else 1),
        threads=args.threads or (w.threads if w else 4),
        workdir=args.out,
        progress=progress,
    )
    if args.url:
        if args.instances != 1:
            raise InputError("--instances applies to the local stack only (a URL is one target)")
        return UrlTarget(setup, args.url, args.accounts)
    kind = args.target
    if kind == "auto":
        kind = "stack" if StackTarget.available() else "local"
    if kind == "stack":
        return StackTarget(setup, args.instances)
    if args.instances != 1:
        raise InputError("--instances > 1 needs --target stack (nginx + scripts/stack.sh)")
    return LocalTarget(setup)


def _schedule(args: argparse.Namespace) -> Schedule:
    try:
        if args.steps:
            steps = [int(x) for x in args.steps.split(",") if x.strip()]
            if steps != sorted(steps):
                raise InputError("--steps must rise, e.g. 20,40,80")
        else:
            steps = geometric_steps(args.start_users, args.factor, args.max_steps)
        return Schedule(steps, args.step_seconds, args.warmup_seconds, args.pace, args.auth)
    except ValueError as exc:
        raise InputError(f"--steps: {exc}") from None


def _refined(
    args: argparse.Namespace, url: str, accounts: Path, schedule: Schedule, slo: Slo,
    instances: int, steps: list[StepRecord], progress: Progress,
) -> list[StepRecord]:  # fmt: skip
    """Steps between the knee and the first failing step, merged in order of load."""
    knee = find_knee([s.result for s in steps], slo)
    if not args.refine or knee.step is None or knee.failed_step is None:
        return steps
    extra = refine_steps(knee.step.users, knee.failed_step.users, args.refine)
    if not extra:
        return steps
    more = run_steps(
        url=url, accounts=accounts, schedule=replace(schedule, steps=extra), slo=slo,
        instances=instances, workdir=args.out,
        locustfile=repo_root() / "capacity" / "locustfile.py", progress=progress,
        label=f"[{instances} inst, refining]", raw_name=f"raw-{instances}-refine",
    )  # fmt: skip
    return sorted(steps + more, key=lambda s: s.result.users)


def cmd_run(args: argparse.Namespace) -> int:
    slo, schedule = _slo(args), _schedule(args)
    workload = _workload(args.workload)
    progress = Progress()
    args.out.mkdir(parents=True, exist_ok=True)
    target = _target(args, workload, progress)
    most = max(args.bills_max, args.bills_median)
    seed = [
        "--users", str(args.seed_users), "--groups", str(args.seed_groups),
        "--bills-median", str(args.bills_median), "--bills-max", str(most),
    ]  # fmt: skip
    results = Results(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        target=target.describe(),
        schedule=schedule,
        slo=slo,
        workers=target.workers,
        threads=target.threads,
    )
    started = time.monotonic()
    try:
        accounts = target.start(seed)
        for n in range(1, args.instances + 1):
            if n > 1:
                target.scale_to(n)
            label = f"[{n}/{args.instances} inst]"
            steps = run_steps(
                url=target.url, accounts=accounts, schedule=schedule, slo=slo, instances=n,
                workdir=args.out, locustfile=repo_root() / "capacity" / "locustfile.py",
                progress=progress, label=label,
            )  # fmt: skip
            steps = _refined(args, target.url, accounts, schedule, slo, n, steps, progress)
            results.runs.append(Run(n, steps))
            knee = results.runs[-1].knee(slo)
            progress.say(f"{label} knee: {knee.rps:.1f} RPS ({knee.reason})")
            if n == 1:
                results.routes = route_figures([t for t in target.metrics() if t])
    finally:
        target.stop()
    with contextlib.suppress(OSError):
        results.machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    plan = _plan(workload, results, slo, progress)
    path = report.write(args.out, results, plan)
    progress.say(f"report: {path} ({time.monotonic() - started:.0f} s)")
    return 0 if any(r.steps for r in results.runs) else 1


def cmd_plan(args: argparse.Namespace) -> int:
    slo = _slo(args)
    workload = load_workload(args.workload)
    progress = Progress()
    results = None
    if args.results:
        if not args.results.is_file():
            raise InputError(f"results file not found: {args.results}")
        results = Results.load(args.results, slo)
    if args.rps_per_instance:
        plan: Plan | None = make_plan(
            workload, rps_per_instance=args.rps_per_instance, source="given on the command line"
        )
    else:
        plan = _plan(workload, results, slo, progress)
    if plan is None:
        raise InputError("nothing to plan with: give --results, --rps-per-instance, or set "
                         "rps_per_instance in the workload file")  # fmt: skip
    path = report.write(args.out, results, plan)
    sys.stdout.write(f"{path}\n")
    for line in report.answers(results, plan):
        sys.stdout.write(f"\n{line.replace('**', '')}\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    found = problems(args.out)
    for line in found:
        sys.stderr.write(f"capacity check: {line}\n")
    if not found:
        sys.stdout.write(f"capacity check: {args.out} has a plausible report and charts\n")
    return 1 if found else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"run": cmd_run, "plan": cmd_plan, "check": cmd_check}[args.command](args)
    except (InputError, WorkloadError) as exc:
        sys.stderr.write(f"paytungan-capacity: {exc}\n")
        return 2
    except RuntimeError as exc:
        sys.stderr.write(f"paytungan-capacity: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\npaytungan-capacity: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
