"""capacity-report/report.md: the four questions answered in plain words, then the evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from capacity.planner import charts
from capacity.planner.knee import first_failure
from capacity.planner.planner import Plan
from capacity.planner.results import Results, Run


def _n(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def _s(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _verb(n: int, singular: str = "carries", plural: str = "carry") -> str:
    return singular if n == 1 else plural


def scaling_ratio(results: Results) -> tuple[int, float] | None:
    """(N, knee with N instances / knee with 1) for the largest N measured."""
    one, top = results.run(1), max(results.runs, key=lambda r: r.instances, default=None)
    if one is None or top is None or top.instances == 1:
        return None
    base = one.knee(results.slo).rps
    return (top.instances, top.knee(results.slo).rps / base) if base else None


def answers(results: Results | None, plan: Plan) -> list[str]:
    w, now, nxt = plan.workload, plan.now, plan.next_iteration
    per = plan.rps_per_instance
    start = (
        f"**Capacity needed at the start.** {w.users:,} users, {w.daily_active_share:.0%} of them "
        f"active on a day with {w.requests_per_active_user_per_day:g} requests each and "
        f"{w.peak_hour_share:.0%} of the day's requests in the busiest hour, make a peak of "
        f"{_n(now.peak_rps)} requests per second (an average of {_n(now.average_rps)}). One "
        f"instance sustains {_n(per)} RPS inside the SLO ({plan.rps_source}); kept at "
        f"{w.target_utilisation:.0%} it carries {_n(per * w.target_utilisation)}, so "
        f"{_s(now.instances_for_load, 'instance')} {_verb(now.instances_for_load)} the peak and "
        f"N+{w.redundancy} makes "
        f"**{now.instances}**. They hold {now.db_connections} database connections of the "
        f"{plan.db_usable} usable ({w.db_max_connections} max_connections)"
        + ("." if now.db_fits else ": **more than the database allows**.")
    )
    current = plan.current_instances
    capacity_now = current * per
    running = f"{_s(current, 'instance')} running {_verb(current)} {_n(capacity_now)} RPS flat out"
    if current < now.instances_for_load:
        unused = (
            f"**Unused capacity now.** None: the {running} and the peak is "
            f"{_n(now.peak_rps)} RPS; {now.instances} instances are needed."
        )
    else:
        spare = current - now.instances_for_load
        redundancy = (
            f"{_s(spare, 'instance')} beyond what the load needs: the N+{w.redundancy} spares"
            if spare
            else "no spare instance: losing "
            + ("it is an outage" if current == 1 else "one at the peak overloads the rest")
            + f" (N+{w.redundancy} wants {now.instances})"
        )
        unused = (
            f"**Unused capacity now.** The {running}; the peak uses "
            f"{plan.peak_utilisation_now:.1%} of it, so **{plan.unused_share_now:.1%} is unused at "
            f"the busiest hour** and {1 - now.average_rps / capacity_now:.1%} over an average "
            f"hour. That is {redundancy}."
        )
    runs = f"{current} {_verb(current, 'runs', 'run')} now"
    growth = (
        f"at {w.growth_per_iteration:.0%} growth per iteration, next iteration's {nxt.users:,} "
        f"users peak at {_n(nxt.peak_rps)} RPS and need {nxt.instances} instances with "
        f"N+{w.redundancy}"
    )
    target = max(now.instances, nxt.instances)
    if now.instances > current:
        scale = (
            f"**Scale this iteration?** Yes, and already today: N+{w.redundancy} needs "
            f"{now.instances} instances for today's peak and {runs}. Then {growth}. Raise the "
            f"minimum instances to {target} now; {_next_step(plan, target)}."
        )
    elif plan.scale_this_iteration:
        scale = (
            f"**Scale this iteration?** Yes: {growth}, and {runs}. Raise the minimum instances "
            f"to {nxt.instances} before the iteration starts."
        )
    else:
        scale = f"**Scale this iteration?** No: {growth}, and {runs}; {_next_step(plan, current)}."
    ratio = scaling_ratio(results) if results else None
    measured = (
        f"Measured here, {ratio[0]} instances sustain {ratio[1]:.2f}x what 1 does "
        f"({ratio[1] / ratio[0]:.0%} of linear); on this machine every instance shares the same "
        "cores with the database and the load generator, so the ratio measures the machine, "
        "not the design. "
        if ratio
        else ""
    )
    last = plan.projection[-1]
    db_limit = (
        f"the projection stays inside it through iteration {last.iteration} "
        f"({last.instances} instances)"
        if last.db_fits
        else "the projection crosses it at iteration "
        + str(next(n.iteration for n in plan.projection if not n.db_fits))
        + ": put a connection pooler (PgBouncer, or Cloud SQL's managed pooling) in front "
        "or raise max_connections before then"
    )
    easy = (
        "**Does the infrastructure make scaling easy?** Yes, up to the database. The API "
        "instances are stateless (sessions, rate limits, idempotency keys and the alert outbox "
        "all live in PostgreSQL), so scaling out is one number: Cloud Run's min/max instances. "
        + measured
        + f"The limit is PostgreSQL's connections: each instance holds {w.workers} worker x "
        f"{w.threads} threads = {w.slots_per_instance} connections"
        + (", twice over while a deploy overlaps two revisions" if w.deploy_overlap == 2 else "")
        + (f", {w.deploy_overlap} times over during a deploy" if w.deploy_overlap > 2 else "")
        + f", so {plan.db_usable} usable connections allow at most {plan.max_instances_by_db} "
        f"instances; {db_limit}."
    )
    return [start, unused, scale, easy]


def _next_step(plan: Plan, running: int) -> str:
    later = next((n for n in plan.projection if n.instances > running), None)
    if later is None:
        return f"{running} then suffice through all {plan.workload.iterations} iterations projected"
    return (
        f"the first iteration that needs more is iteration {later.iteration} "
        f"({later.users:,} users, {later.instances} instances)"
    )


def _spread(mid: float, low: float | None, high: float | None, digits: int = 0) -> str:
    if low is None or high is None or low == high:
        return _n(mid, digits)
    return f"{_n(mid, digits)} ({_n(low, digits)}-{_n(high, digits)})"


def _ms(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _steps_table(run: Run, results: Results) -> list[str]:
    lines = [
        "| users | repeats | RPS median (min-max) | p50 ms | p95 ms median (min-max) | p99 ms | "
        "errors (worst) | pace held | server CPU ms/req | DB CPU ms/req | Locust CPU ms/req | "
        "verdict |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ordered = sorted(run.steps, key=lambda s: s.result.users)
    end = first_failure([s.result for s in ordered], results.slo)
    for i, s in enumerate(ordered):
        r = s.result
        verdict = "inside SLO" if not s.verdict else "; ".join(s.verdict)
        if end is not None and i > end:
            verdict += " (past the end of the safe range: not counted)"
        lines.append(
            f"| {r.users} | {r.repeats} | {_spread(r.rps, r.rps_min, r.rps_max, 1)} | "
            f"{r.p50_ms:.0f} | {_spread(r.p95_ms, r.p95_min_ms, r.p95_max_ms)} | "
            f"{r.p99_ms:.0f} | {r.worst_errors:.2%} | {r.pace_held:.0%} | "
            f"{_ms(r.server_cpu_ms)} | {_ms(r.db_cpu_ms)} | {_ms(r.loadgen_cpu_ms)} | {verdict} |"
        )
    return lines


def _capacity_table(results: Results, headroom: float) -> list[str]:
    lines = [
        "| instances | knee RPS | safe RPS | users | p95 at knee | mean at knee | "
        "in flight (Little) | slots | server CPU ms/req | server cores busy | efficiency | "
        "stopped by |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    one = results.run(1)
    base = one.knee(results.slo).rps if one else 0.0
    w, t = results.schedule_slots
    for run in sorted(results.runs, key=lambda r: r.instances):
        knee = run.knee(results.slo)
        if knee.step is None:
            lines.append(f"| {run.instances} |" + " - |" * 10 + f" {knee.reason} |")
            continue
        s = knee.step
        in_flight = s.rps * s.mean_ms / 1000  # L = lambda x W
        eff = f"{knee.rps / (run.instances * base):.0%}" if base else "-"
        stopped = knee.reason if knee.saturated else "not reached (capacity is at least this)"
        busy = f"{s.rps * s.server_cpu_ms / 1000:.2f}" if s.server_cpu_ms else "-"
        lines.append(
            f"| {run.instances} | {_n(s.rps)} | {_n(knee.safe_rps(headroom))} | {s.users} | "
            f"{s.worst_p95_ms:.0f} ms | {s.mean_ms:.0f} ms | {in_flight:.1f} | "
            f"{run.instances * w * t} | {_ms(s.server_cpu_ms)} | {busy} | {eff} | {stopped} |"
        )
    return lines


def _routes_table(results: Results) -> list[str]:
    if not results.routes:
        return []
    lines = [
        "",
        "Per route over the 1-instance run, from the instances' own `/metrics`:",
        "",
        "| route | requests | mean ms | DB queries per request | 5xx |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results.routes[:16]:
        lines.append(
            f"| `{r.route}` | {r.requests} | {r.mean_ms:.1f} | {r.queries_per_request:.1f} | "
            f"{r.errors} |"
        )
    return lines


def _verification(v: dict[str, Any]) -> list[str]:
    ok = "**held**" if v.get("inside_slo") else "**did not hold**"
    return [
        "## Verification of the safe rate",
        "",
        f"The 1-instance safe rate, {v['safe_rps']} RPS (knee {v['knee_rps']} x headroom "
        f"{v['headroom']}), offered again on the same target: {v['users']} users for "
        f"{v['repeats']} x {v['seconds']} s. Achieved {v['achieved_rps']} RPS "
        f"({v['rps_min']}-{v['rps_max']}), p95 {v['p95_ms']} ms (worst {v['p95_max_ms']}), "
        f"errors {float(v['error_rate'] or 0):.2%} (worst), server CPU "
        f"{v['server_cpu_ms']} ms/request: {ok} ({v['verdict']}).",
        "",
    ]


def _model(plan: Plan) -> list[str]:
    m, w = plan.model, plan.workload
    assert m is not None
    c = m.cost
    scale = (
        f"x {m.scale:.2f} (calibration there {w.calibration_ms:g} ms / here {c.calibration_ms:g})"
        if w.calibration_ms
        else "x 1 (no calibration of the target given: assumed as fast per core as this host)"
    )
    db = ""
    if plan.db_cpu_cores_now is not None and plan.db_cpu_cores_last is not None:
        db = (
            f" The database does {c.db_cpu_ms:.2f} ms of CPU per request: "
            f"{plan.db_cpu_cores_now:.2f} of its {w.db_cpus:g} vCPUs at today's peak, "
            f"{plan.db_cpu_cores_last:.2f} at iteration {w.iterations}'s."
        )
    return [
        "## Cost per request and the portable model",
        "",
        f"Measured at the 1-instance knee: **{c.server_cpu_ms:.2f} ms of server CPU** per request, "
        f"{c.db_cpu_ms:.2f} ms of database CPU, {c.queries_per_request:.1f} queries (the "
        "instances' /metrics, over the run).",
        "",
        f"- CPU ms on the target: {c.server_cpu_ms:.2f} {scale} = {m.cpu_ms:.2f} ms.",
        f"- CPU bound: {w.cpus:g} vCPU x 1000 / {m.cpu_ms:.2f} = {_n(m.cpu_bound_rps)} RPS.",
        f"- Time a request holds a thread: {m.cpu_ms:.2f} + {c.queries_per_request:.1f} queries "
        f"x {w.db_round_trip_ms:g} ms round trip + {c.db_cpu_ms:.2f} ms in the database = "
        f"{m.service_ms:.1f} ms; thread bound: {w.workers} x {w.threads} slots x 1000 / "
        f"{m.service_ms:.1f} = {_n(m.thread_bound_rps)} RPS.",
        f"- Per instance: **{_n(m.rps)} RPS** (limited by {m.limited_by}), planned at "
        f"{w.target_utilisation:.0%}: {_n(m.rps * w.target_utilisation)} RPS.{db}",
        "",
    ]


def render(results: Results | None, plan: Plan | None, chart_names: list[str]) -> str:
    out = ["# Paytungan capacity report", ""]
    if results:
        m = results.machine
        load = m.get("load_average_start") or []
        end = m.get("load_average_end") or []
        sch = results.schedule
        out += [
            f"Generated {results.generated_at} on {m.get('cores')} cores ({m.get('cpu')}), "
            f"Python {m.get('python')}, {m.get('system')}. Load average "
            f"{', '.join(str(x) for x in load)} at the start and "
            f"{', '.join(str(x) for x in end)} at the end (1, 5, 15 min).",
            "",
            f"- Target: {results.target}.",
            f"- Load: Locust (capacity/locustfile.py) on the same machine, steps of "
            f"{', '.join(str(n) for n in sch.steps)} users, {sch.step_seconds:g} s each (the "
            f"first {sch.warmup_seconds:g} s of each left out), every user taking one action "
            f"each {1 / sch.pace:g} s ({sch.auth} auth); the behaviour model is in "
            "docs/capacity.md."
            + (
                " Extra steps between each knee and the first failing step refine it."
                if any(len(run.steps) > len(sch.steps) for run in results.runs)
                else ""
            ),
            f"- SLO: p95 < {results.slo.p95_ms:g} ms and errors < {results.slo.error_rate:.2%} "
            f"in every repeat ({sch.repeats} per step). The first step outside it ends the safe "
            "range; the knee is the best step below it, the safe rate the knee x the headroom "
            "(target_utilisation). Figures are medians of the repeats, (min-max) beside them.",
            f"- CPU per request: the server's and the database's process trees and Locust's own "
            f"(/proc), per step window. CPU yardstick of this host (calibrate.py): "
            f"{m.get('calibration_ms', '-')} ms.",
            "",
        ]
    if plan:
        out += ["## The four questions", ""]
        out += [f"{i}. {a}" for i, a in enumerate(answers(results, plan), 1)]
        out.append("")
    headroom = plan.workload.target_utilisation if plan else 0.6
    if results and results.runs:
        out += ["## Measured capacity", "", *_capacity_table(results, headroom)]
        ratio = scaling_ratio(results)
        if ratio:
            out += ["", f"**Capacity with {ratio[0]} instances / 1 instance: {ratio[1]:.2f}**."]
        out += _routes_table(results)
        for run in sorted(results.runs, key=lambda r: r.instances):
            out += ["", f"### {_s(run.instances, 'instance')}", "", *_steps_table(run, results)]
        out.append("")
    if results and results.verification:
        out += _verification(results.verification)
    if plan and plan.model:
        out += _model(plan)
    if plan:
        w = plan.workload
        out += [
            "## Plan",
            "",
            f"Per instance: {_n(plan.rps_per_instance)} RPS ({plan.rps_source}), kept at "
            f"{w.target_utilisation:.0%}; redundancy N+{w.redundancy}; {w.workers} worker x "
            f"{w.threads} threads per instance; database max_connections "
            f"{w.db_max_connections} ({w.db_reserved_connections} reserved, "
            f"{w.db_other_connections} for the relay, jobs and shells).",
            "",
        ]
        if results and (results.workers, results.threads) != (w.workers, w.threads):
            out += [
                f"**The load test ran {results.workers} worker x {results.threads} threads per "
                f"instance, the workload plans {w.workers} x {w.threads}**: the measured knee is "
                "not the production shape's; measure with the workload's shape.",
                "",
            ]
        out += [
            "| iteration | users | peak RPS | avg RPS | instances for load | with N+"
            f"{w.redundancy} | DB connections | fits DB |",
            "|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for n in plan.projection:
            out.append(
                f"| {n.iteration} | {n.users:,} | {_n(n.peak_rps)} | {_n(n.average_rps)} | "
                f"{n.instances_for_load} | {n.instances} | {n.db_connections} / "
                f"{plan.db_usable} | {'yes' if n.db_fits else '**no**'} |"
            )
        out.append("")
    if chart_names:
        out += ["## Charts", ""] + [f"![{name[:-4]}]({name})" for name in chart_names] + [""]
    if results:
        out += [
            "## Limits of this measurement",
            "",
            f"- {results.machine.get('cores')} cores run everything: the load generator, nginx, "
            "every instance and PostgreSQL. Instances added here compete for the same cores, so "
            "the scaling ratio is a floor; on Cloud Run each instance brings its own vCPU.",
            "- The load generator's own CPU use takes from the server's; its numbers include "
            "queueing inside Locust when the machine is saturated.",
            "- Other work on the machine (the load averages above) adds noise; repeat runs "
            "differ by 10-20 %.",
            "- Loopback networking: no TLS, no internet latency; a real client adds both.",
            "",
        ]
    return "\n".join(out)


def write(out: Path, results: Results | None, plan: Plan | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    names = charts.draw_all(results, plan, out) if results else []
    if not results and plan:
        charts.instances_vs_users(plan, out / charts.INSTANCES)
        names = [charts.INSTANCES]
    if results:
        results.save(out / "results.json")
    path = out / "report.md"
    path.write_text(render(results, plan, names))
    return path
