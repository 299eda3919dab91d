"""Sanity checks of a written report, run by `make capacity-ci`: the files exist and the figures
are plausible (a server that answered nothing, or a chart that came out empty, fails here)."""

from __future__ import annotations

import json
from pathlib import Path

from capacity.planner import charts

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def problems(out: Path) -> list[str]:
    found: list[str] = []
    report = out / "report.md"
    if not report.is_file():
        return [f"{report} is missing"]
    text = report.read_text()
    for heading in ("## The four questions", "## Measured capacity", "## Plan", "## Charts"):
        if heading not in text:
            found.append(f"report.md has no '{heading}' section")
    for name in (charts.LATENCY, charts.THROUGHPUT, charts.INSTANCES):
        png = out / name
        if not png.is_file():
            found.append(f"{name} is missing")
        elif not png.read_bytes().startswith(PNG_MAGIC) or png.stat().st_size < 10_000:
            found.append(f"{name} is not a real chart ({png.stat().st_size} bytes)")
        elif f"({name})" not in text:
            found.append(f"report.md does not show {name}")
    try:
        data = json.loads((out / "results.json").read_text())
    except (OSError, ValueError) as exc:
        return [*found, f"results.json unreadable: {exc}"]
    runs = data.get("runs") or []
    if not runs:
        return [*found, "results.json has no run"]
    for run in runs:
        steps = run["steps"]
        if len(steps) < 2:
            found.append(f"{run['instances']} instance(s): {len(steps)} step(s), expected 2+")
        for s in steps:
            where = f"{run['instances']} instance(s), {s['users']} users"
            if s["requests"] <= 0 or s["rps"] <= 0:
                found.append(f"{where}: no requests measured")
            elif not 0 < s["p50_ms"] <= s["p95_ms"] <= s["p99_ms"] < 60_000:
                latencies = f"{s['p50_ms']}/{s['p95_ms']}/{s['p99_ms']}"
                found.append(f"{where}: implausible p50/p95/p99 {latencies} ms")
        first = steps[0] if steps else None
        if first and first["failures"] > first["requests"] / 2:
            found.append(f"{run['instances']} instance(s): the lightest step mostly failed")
        if steps and steps[-1]["rps"] <= steps[0]["rps"] and not run["knee"]["saturated"]:
            found.append(f"{run['instances']} instance(s): more users brought no more requests")
    if not any(run["knee"]["rps"] > 0 for run in runs):
        found.append("no run found a knee above 0 RPS")
    verification = data.get("verification")
    if verification is not None and not verification.get("inside_slo"):
        found.append(f"the safe rate did not hold when verified: {verification.get('verdict')}")
    return found
