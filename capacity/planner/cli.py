"""`python -m capacity.planner`: load-test, find the knee, plan, verify, report (docs/capacity.md).

  python -m capacity.planner run    [--target stack|local|auto | --url URL --accounts FILE]
                                    [--instances N] [--repeats R] [--port-base P]
                                    [--steps 20,40,80 | --start-users 20 --factor 1.5 ...]
  python -m capacity.planner verify --results capacity-report/results.json [--seconds S]
  python -m capacity.planner plan   --workload FILE (--results results.json | --rps-per-instance X)
  python -m capacity.planner check  capacity-report
  python -m capacity.planner calibrate   (this host's CPU yardstick, for the workload file)

Run from the repository root: the planner is a tool there, not part of the deployed package.
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
from typing import Any

from capacity.planner import report
from capacity.planner.calibrate import calibration_ms
from capacity.planner.check import problems
from capacity.planner.knee import Knee, Slo, find_knee
from capacity.planner.planner import Cost, Plan, make_plan
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
    port_base,
    repo_root,
)
from capacity.planner.workload import Workload, WorkloadError, load_workload

DEFAULT_WORKLOAD = "capacity/workload.yaml"
LOCUSTFILE = "capacity/locustfile.py"


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


def _target_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--target", choices=["auto", "stack", "local"], default="auto",
        help="stack: scripts/stack.sh, 1..N instances behind nginx; local: one gunicorn on "
        "$DATABASE_URL; auto: the stack when nginx is there, else local",
    )  # fmt: skip
    where.add_argument("--url", help="an existing deployment (staging); needs --accounts")
    parser.add_argument("--accounts", type=Path, help="the seed script's accounts file (--url)")
    parser.add_argument(
        "--workers", type=_positive(int, "--workers"),
        help="gunicorn workers per instance under test (default: the workload's, 2)",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=_positive(int, "--threads"),
        help="threads per worker under test (default: the workload's, 4)",
    )  # fmt: skip
    parser.add_argument(
        "--port-base", type=int, default=port_base(),
        help="first port to try for every server started here (default $CAPACITY_PORT_BASE; "
        "without it, ports the kernel picks)",
    )  # fmt: skip
    parser.add_argument("--workload", default=DEFAULT_WORKLOAD, help="workload YAML, or 'none'")
    parser.add_argument("--out", type=Path, default=Path("capacity-report"))
    parser.add_argument("--seed-users", type=_positive(int, "--seed-users"), default=1000)
    parser.add_argument("--seed-groups", type=_positive(int, "--seed-groups"), default=500)
    parser.add_argument("--bills-median", type=_positive(int, "--bills-median"), default=30)
    parser.add_argument("--bills-max", type=_positive(int, "--bills-max"), default=400)
    parser.add_argument("--instances", type=_positive(int, "--instances"), default=1,
                        help="measure 1..N instances (stack only)")  # fmt: skip
    _slo_options(parser)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m capacity.planner", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="load-test in rising steps, find the knee, plan, report")
    _target_options(run)
    run.add_argument("--steps", help="users per step, e.g. 20,40,80 (default: geometric)")
    run.add_argument("--start-users", type=_positive(int, "--start-users"), default=20)
    run.add_argument("--factor", type=_positive(float, "--factor"), default=1.5)
    run.add_argument("--max-steps", type=_positive(int, "--max-steps"), default=8)
    run.add_argument("--repeats", type=_positive(int, "--repeats"), default=1,
                     help="runs of each step: median, spread; the worst decides")  # fmt: skip
    run.add_argument(
        "--refine", type=int, default=0,
        help="extra steps between the knee and the first step past it (0)",
    )  # fmt: skip
    run.add_argument("--step-seconds", type=_positive(float, "--step-seconds"), default=30.0)
    run.add_argument("--warmup-seconds", type=float, default=5.0)
    run.add_argument("--pace", type=_positive(float, "--pace"), default=0.2,
                     help="actions per user per second (0.2: one every 5 s)")  # fmt: skip
    run.add_argument("--auth", choices=["session", "token"], default="session")
    run.add_argument("--verify-seconds", type=float, default=0.0,
                     help="then hold the 1-instance safe rate this long (0: no)")  # fmt: skip
    run.add_argument("--verify-repeats", type=_positive(int, "--verify-repeats"), default=2)

    verify = sub.add_parser(
        "verify", help="hold the planner's safe rate (knee x headroom): does the SLO hold?"
    )
    verify.add_argument("--results", type=Path, required=True, help="results.json of a run")
    _target_options(verify)
    verify.add_argument("--seconds", type=_positive(float, "--seconds"), default=30.0)
    verify.add_argument("--warmup-seconds", type=float, default=5.0)
    verify.add_argument("--repeats", type=_positive(int, "--repeats"), default=2)

    plan = sub.add_parser("plan", help="a plan from a workload and a past run or a given RPS")
    plan.add_argument("--workload", default=DEFAULT_WORKLOAD)
    source = plan.add_mutually_exclusive_group()
    source.add_argument("--results", type=Path, help="results.json of an earlier run")
    source.add_argument("--rps-per-instance", type=_positive(float, "--rps-per-instance"))
    plan.add_argument("--calibration-ms", type=_positive(float, "--calibration-ms"),
                      help="the target host's `calibrate` figure (overrides the file)")  # fmt: skip
    plan.add_argument("--out", type=Path, default=Path("capacity-report"))
    _slo_options(plan)

    check = sub.add_parser("check", help="fail unless a report has plausible, non-empty figures")
    check.add_argument("out", type=Path, nargs="?", default=Path("capacity-report"))
    sub.add_parser("calibrate", help="print this host's CPU yardstick in ms (lower: faster)")
    return parser


def _slo(args: argparse.Namespace) -> Slo:
    try:
        return Slo(p95_ms=args.slo_p95_ms, error_rate=args.slo_errors / 100)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _workload(path: str) -> Workload | None:
    return None if path.lower() == "none" else load_workload(path)


def measured_cost(results: Results, knee: Knee) -> Cost | None:
    """The per-request cost at the 1-instance knee, if the run measured CPU."""
    step = knee.step
    calibration = results.machine.get("calibration_ms")
    if step is None or not step.server_cpu_ms or not calibration:
        return None
    requests = sum(r.requests for r in results.routes)
    queries = sum(r.queries_per_request * r.requests for r in results.routes)
    return Cost(
        server_cpu_ms=step.server_cpu_ms,
        db_cpu_ms=step.db_cpu_ms or 0.0,
        queries_per_request=queries / requests if requests else 0.0,
        calibration_ms=float(calibration),
    )


def _plan(w: Workload | None, results: Results | None, slo: Slo, say: Progress) -> Plan | None:
    if w is None:
        return None
    one = results.run(1) if results else None
    knee = one.knee(slo) if one else None
    if results is not None and knee is not None and knee.step is not None:
        cost = measured_cost(results, knee)
        if cost is not None:
            return make_plan(w, cost=cost)
        source = "measured: the knee of 1 instance on this machine (no CPU cost measured)"
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
        workers=args.workers or (w.workers if w else 2),
        threads=args.threads or (w.threads if w else 4),
        workdir=args.out,
        progress=progress,
        port_base=args.port_base,
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
        return Schedule(
            steps, args.step_seconds, args.warmup_seconds, args.pace, args.auth, args.repeats
        )
    except ValueError as exc:
        raise InputError(f"--steps: {exc}") from None


def _seed_options(args: argparse.Namespace) -> list[str]:
    most = max(args.bills_max, args.bills_median)
    return [
        "--users", str(args.seed_users), "--groups", str(args.seed_groups),
        "--bills-median", str(args.bills_median), "--bills-max", str(most),
    ]  # fmt: skip


def _refined(
    args: argparse.Namespace, target: Target, accounts: Path, schedule: Schedule, slo: Slo,
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
        url=target.url, accounts=accounts, schedule=replace(schedule, steps=extra), slo=slo,
        instances=instances, workdir=args.out, locustfile=repo_root() / LOCUSTFILE,
        progress=progress, label=f"[{instances} inst, refining]",
        raw_name=f"raw-{instances}-refine", cpu_pids=target.cpu_pids(),
    )  # fmt: skip
    return sorted(steps + more, key=lambda s: s.result.users)


def verify_safe_rate(
    *, results: Results, workload: Workload | None, target: Target, accounts: Path,
    seconds: float, warmup: float, repeats: int, workdir: Path, progress: Progress,
) -> dict[str, Any]:  # fmt: skip
    """Hold the 1-instance safe rate (knee x target_utilisation) with the run's behaviour and
    pacing, `repeats` times, and judge it by the same SLO: the check that the plan holds."""
    one = results.run(1)
    knee = one.knee(results.slo) if one else None
    if knee is None or knee.step is None:
        raise RuntimeError("no 1-instance knee in the results: nothing to verify")
    headroom = workload.target_utilisation if workload else 0.6
    safe = knee.safe_rps(headroom)
    per_user = knee.step.rps / knee.step.users  # requests per second one simulated user makes
    users = max(1, round(safe / per_user))
    sch = results.schedule
    schedule = Schedule([users], seconds, warmup, sch.pace, sch.auth, repeats)
    progress.say(
        f"verify: safe rate {safe:.1f} RPS = knee {knee.rps:.1f} x headroom {headroom:g}: "
        f"{users} users for {repeats} x {seconds:g} s"
    )
    for attempt in (1, 2):
        records = run_steps(
            url=target.url, accounts=accounts, schedule=schedule, slo=results.slo, instances=1,
            workdir=workdir, locustfile=repo_root() / LOCUSTFILE, progress=progress,
            label="[verify]", raw_name=f"raw-verify-{attempt}", cpu_pids=target.cpu_pids(),
        )  # fmt: skip
        step = records[0].result if records else None
        delivered = step is not None and step.rps >= 0.8 * safe
        if delivered or step is None or attempt == 2:
            break
        # Fewer requests per user than at the knee (a lighter draw of journeys, the first
        # logins inside a short window): the rate was not offered, so offer it, once, with
        # users scaled to it. A shortfall again is reported, never passed.
        users = max(users + 1, math.ceil(users * safe / max(step.rps, 0.1)))
        schedule = replace(schedule, steps=[users])
        progress.say(f"verify: {step.rps:.1f} RPS offered, short of {safe:.1f}: {users} users")
    inside = bool(records) and not records[0].verdict and len(records[0].repeats) == repeats
    verdict = "; ".join(records[0].verdict) if records else "no step finished"
    if records and not delivered:
        verdict = (verdict + "; " if verdict else "") + "the offered load fell short of the rate"
    return {
        "knee_rps": knee.rps,
        "headroom": headroom,
        "safe_rps": round(safe, 2),
        "users": users,
        "seconds": seconds,
        "repeats": repeats,
        "achieved_rps": step.rps if step else 0.0,
        "rps_min": step.rps_min if step else None,
        "rps_max": step.rps_max if step else None,
        "p95_ms": step.p95_ms if step else None,
        "p95_max_ms": step.worst_p95_ms if step else None,
        "error_rate": step.worst_errors if step else None,
        "server_cpu_ms": step.server_cpu_ms if step else None,
        "inside_slo": inside and delivered,
        "verdict": verdict or "inside the SLO in every repeat",
    }


def cmd_run(args: argparse.Namespace) -> int:
    slo, schedule = _slo(args), _schedule(args)
    workload = _workload(args.workload)
    progress = Progress()
    args.out.mkdir(parents=True, exist_ok=True)
    target = _target(args, workload, progress)
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
        accounts = target.start(_seed_options(args))
        for n in range(1, args.instances + 1):
            if n > 1:
                target.scale_to(n)
            label = f"[{n}/{args.instances} inst]"
            steps = run_steps(
                url=target.url, accounts=accounts, schedule=schedule, slo=slo, instances=n,
                workdir=args.out, locustfile=repo_root() / LOCUSTFILE,
                progress=progress, label=label, cpu_pids=target.cpu_pids(),
            )  # fmt: skip
            steps = _refined(args, target, accounts, schedule, slo, n, steps, progress)
            results.runs.append(Run(n, steps))
            knee = results.runs[-1].knee(slo)
            progress.say(f"{label} knee: {knee.rps:.1f} RPS ({knee.reason})")
            if n == 1:
                results.routes = route_figures([t for t in target.metrics() if t])
                if args.verify_seconds > 0 and knee.step is not None:
                    results.verification = verify_safe_rate(
                        results=results, workload=workload, target=target, accounts=accounts,
                        seconds=args.verify_seconds, warmup=args.warmup_seconds,
                        repeats=args.verify_repeats, workdir=args.out, progress=progress,
                    )  # fmt: skip
                    progress.say(f"verify: {results.verification['verdict']}")
    finally:
        target.stop()
    with contextlib.suppress(OSError):
        results.machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    plan = _plan(workload, results, slo, progress)
    path = report.write(args.out, results, plan)
    progress.say(f"report: {path} ({time.monotonic() - started:.0f} s)")
    return 0 if any(r.steps for r in results.runs) else 1


def cmd_verify(args: argparse.Namespace) -> int:
    if not args.results.is_file():
        raise InputError(f"results file not found: {args.results}")
    workload = _workload(args.workload)
    results = Results.load(args.results, _slo(args))
    progress = Progress()
    args.out.mkdir(parents=True, exist_ok=True)
    args.workers = args.workers or results.workers  # the shape that was measured
    args.threads = args.threads or results.threads
    target = _target(args, workload, progress)
    try:
        accounts = target.start(_seed_options(args))
        results.verification = verify_safe_rate(
            results=results, workload=workload, target=target, accounts=accounts,
            seconds=args.seconds, warmup=args.warmup_seconds, repeats=args.repeats,
            workdir=args.out, progress=progress,
        )  # fmt: skip
    finally:
        target.stop()
    plan = _plan(workload, results, results.slo, progress)
    report.write(args.out, results, plan)
    v = results.verification
    sys.stdout.write(
        f"verify: {v['achieved_rps']:.1f} RPS held (safe rate {v['safe_rps']:.1f}), p95 "
        f"{v['p95_ms']} ms (worst {v['p95_max_ms']}): {v['verdict']}\n"
    )
    return 0 if v["inside_slo"] else 1


def cmd_plan(args: argparse.Namespace) -> int:
    slo = _slo(args)
    workload = load_workload(args.workload)
    if args.calibration_ms:
        workload = replace(workload, calibration_ms=args.calibration_ms)
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


def cmd_calibrate(_args: argparse.Namespace) -> int:
    sys.stdout.write(f"{calibration_ms()}\n")
    return 0


COMMANDS = {
    "run": cmd_run, "verify": cmd_verify, "plan": cmd_plan, "check": cmd_check,
    "calibrate": cmd_calibrate,
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (InputError, WorkloadError) as exc:
        sys.stderr.write(f"capacity.planner: {exc}\n")
        return 2
    except (RuntimeError, ValueError) as exc:
        sys.stderr.write(f"capacity.planner: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\ncapacity.planner: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
