"""The report's PNG charts (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after use("Agg"): the backend must be chosen first

from capacity.planner.planner import Plan
from capacity.planner.results import Results

LATENCY = "latency_errors_vs_load.png"
THROUGHPUT = "throughput_vs_instances.png"
INSTANCES = "instances_vs_users.png"


def latency_errors_vs_load(results: Results, path: Path) -> None:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True, height_ratios=[3, 1.4])
    for run in results.runs:
        xs = [s.result.rps for s in run.steps]
        label = f"{run.instances} instance{'s' if run.instances > 1 else ''}"
        (line,) = top.plot(xs, [s.result.p95_ms for s in run.steps], marker="o", label=label)
        bottom.plot(xs, [100 * s.result.error_rate for s in run.steps], marker="o",
                    color=line.get_color())  # fmt: skip
        knee = run.knee(results.slo)
        if knee.step:
            top.plot([knee.step.rps], [knee.step.p95_ms], marker="*", markersize=16,
                     color=line.get_color())  # fmt: skip
    top.axhline(results.slo.p95_ms, color="crimson", linestyle="--", linewidth=1,
                label=f"SLO p95 {results.slo.p95_ms:g} ms")  # fmt: skip
    top.set_yscale("log")  # the knee region (tens of ms) and the overload (seconds) both show
    top.yaxis.set_major_formatter(lambda y, _pos: f"{y:,.0f}")
    top.set_ylabel("p95 latency (ms, log scale)")
    top.set_title("Latency and errors versus achieved load (star: the knee)")
    top.grid(alpha=0.3)
    top.legend()
    bottom.axhline(100 * results.slo.error_rate, color="crimson", linestyle="--", linewidth=1)
    bottom.set_ylabel("errors (%)")
    bottom.set_xlabel("achieved requests per second")
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def throughput_vs_instances(results: Results, path: Path) -> None:
    runs = sorted(results.runs, key=lambda r: r.instances)
    ns = [r.instances for r in runs]
    knees = [r.knee(results.slo).rps for r in runs]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.bar([str(n) for n in ns], knees, color="#417690", label="measured knee (RPS inside SLO)")
    if knees and knees[0]:
        ax.plot([str(n) for n in ns], [knees[0] * n for n in ns], color="gray", linestyle="--",
                marker="o", label="linear scaling from 1 instance")  # fmt: skip
    for i, value in enumerate(knees):
        ax.annotate(f"{value:.0f}", (i, value), ha="center", va="bottom")
    ax.set_xlabel("instances")
    ax.set_ylabel("requests per second")
    ax.set_title("Sustained throughput versus instances")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def instances_vs_users(plan: Plan, path: Path) -> None:
    users = [n.users for n in plan.projection]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.step(users, [n.instances for n in plan.projection], where="post", marker="o",
            label=f"instances needed (N+{plan.workload.redundancy})")  # fmt: skip
    ax.step(users, [n.instances_for_load for n in plan.projection], where="post",
            linestyle=":", label="for the load alone")  # fmt: skip
    ax.axhline(plan.current_instances, color="green", linestyle="--",
               label=f"running now ({plan.current_instances})")  # fmt: skip
    ax.axhline(plan.max_instances_by_db, color="crimson", linestyle="--",
               label=f"database connection limit ({plan.max_instances_by_db})")  # fmt: skip
    for need in plan.projection:
        ax.annotate(f"it. {need.iteration}", (need.users, need.instances),
                    textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)  # fmt: skip
    ax.set_xlabel("users (log scale)")
    ax.set_ylabel("instances")
    ax.set_title("Instances needed as users grow, iteration by iteration")
    top = max(plan.max_instances_by_db, max(n.instances for n in plan.projection))
    ax.set_ylim(0, top * 1.35)  # room for the legend above the lines
    ax.set_xscale("log")  # users grow by a factor per iteration: even spacing on a log axis
    ax.set_xticks(users[:: max(1, len(users) // 7)], minor=False)
    ax.set_xticks([], minor=True)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x / 1000:,.0f}k" if x >= 1000 else f"{x:.0f}")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_all(results: Results, plan: Plan | None, out: Path) -> list[str]:
    names = []
    if results.runs:
        latency_errors_vs_load(results, out / LATENCY)
        throughput_vs_instances(results, out / THROUGHPUT)
        names += [LATENCY, THROUGHPUT]
    if plan is not None:
        instances_vs_users(plan, out / INSTANCES)
        names.append(INSTANCES)
    return names
