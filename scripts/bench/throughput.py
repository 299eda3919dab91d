#!/usr/bin/env python3
"""Side-by-side throughput on loopback: each target served by its own gunicorn (same config),
loaded in turn by `wrk` in interleaved rounds, so every target sees the same machine state.
Reports req/s (median of the rounds), the ratio to the first target (bare Django) and the
server CPU per request, read from /proc/<pid>/stat of the gunicorn workers before and after
each run. Prints a Markdown table.

Usage: throughput.py --case NAME=URL[,METHOD[,BODYFILE]]@MASTERPID ... [--token T]
       [--rounds 3] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Case:
    name: str
    url: str
    method: str
    body: str | None
    master: int
    connections: int
    rates: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    errors: int = 0
    p50_ms: list[float] = field(default_factory=list)


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(c) for c in children]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        # Fields after the command name (which may hold spaces) start at field 3.
        stat = Path(f"/proc/{pid}/stat").read_text()
        rest = stat[stat.rindex(")") + 2 :].split()
        total += int(rest[11]) + int(rest[12])  # utime, stime
    return total


def lua_script(case: Case, token: str | None) -> str:
    lines = [f'wrk.method = "{case.method}"']
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if case.body is not None:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = [[{case.body}]]")
    return "\n".join(lines) + "\n"


def run_wrk(case: Case, token: str | None, seconds: int) -> tuple[float, int, int, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(case, token))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{case.connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                case.url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    n_err = int(bad.group(1)) if bad else 0
    if errors:
        n_err += sum(int(g) for g in errors.groups())
    if n_err:  # which kind: a refused answer, or a socket error (wrk's own words)
        said = [line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket" in line]
        print(f"{case.name}: {'; '.join(said)}", file=sys.stderr)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p50_ms = float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan")
    slowest = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", out)
    if slowest and float(slowest.group(1)) * scale[slowest.group(2)] >= 1000:
        print(f"{case.name}: slowest answer {slowest.group(1)}{slowest.group(2)}", file=sys.stderr)
    return rate, total, n_err, p50_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", action="append", required=True)
    parser.add_argument("--token")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    cases: list[Case] = []
    for spec in args.case:
        name, rest = spec.split("=", 1)
        target, master = rest.rsplit("@", 1)
        url, method, body_file, conns = ([*target.split(","), None, None, None])[:4]
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            sys.exit("throughput: loopback targets only")
        body = Path(body_file).read_text().strip() if body_file else None
        cases.append(
            Case(
                name,
                url,
                method or "GET",
                body,
                int(master),
                int(conns) if conns else args.connections,
            )
        )
    for _ in range(args.rounds):
        for case in cases:
            pids = workers(case.master)
            before = cpu_ticks(pids)
            rate, total, errors, p50 = run_wrk(case, args.token, args.seconds)
            used = cpu_ticks(pids) - before
            case.rates.append(rate)
            case.cpu_ms.append(used * 1000 / TICK / max(total, 1))
            case.errors += errors
            case.p50_ms.append(p50)
    base = statistics.median(cases[0].rates)
    print(
        "| target | connections | req/s (median of rounds) | rounds | vs first | "
        "server CPU ms/request | p50 ms | non-2xx/errors |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for case in cases:
        rate = statistics.median(case.rates)
        rounds = " / ".join(f"{r:.0f}" for r in case.rates)
        print(
            f"| {case.name} | {case.connections} | {rate:,.0f} | {rounds} | {rate / base:.1%} | "
            f"{statistics.median(case.cpu_ms):.2f} | {statistics.median(case.p50_ms):.1f} | "
            f"{case.errors} |"
        )


if __name__ == "__main__":
    main()
