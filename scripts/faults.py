#!/usr/bin/env python3
"""make faults: inject faults into the local stack under a steady load and check what must hold.

Starts its own stack (scripts/stack.sh, state in var/stack-faults, ports 38080/381xx/58432), seeds
one group, then, each under the load loop of scripts/faults_load.py (loopback only, bounded):

  kill9     kill -9 one of 3 API instances (its whole process group):
            idempotent requests' error rate < 0.1 %; every acknowledged write is in the database
  pgrestart stop PostgreSQL abruptly (pg_ctl -m immediate: a crash), start it again:
            readiness goes 503 while it is down and 200 on every instance within 10 s of it being
            back; no acknowledged write lost
  sigterm   hold row locks so that 4 writes to one instance are in flight, SIGTERM that instance:
            it stops accepting, the 4 complete with 2xx; idempotent error rate < 0.1 %

Prints a summary, writes var/stack-faults/faults.json, exits 1 if an expectation is violated.
Usage: .venv/bin/python scripts/faults.py [--only kill9,pgrestart,sigterm] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults_load import Client, Load, Results, bill_body

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "stack-faults"
NGINX_PORT, API_PORT, PG_PORT = 38080, 38101, 58432
STACK_ENV = {
    "STACK_DIR": str(STATE),
    "STACK_INSTANCES": "3",
    "STACK_PORT": str(NGINX_PORT),
    "STACK_API_PORT": str(API_PORT),
    "STACK_RELAY_PORT": "38201",
    "STACK_PG_PORT": str(PG_PORT),
    "STACK_FRONTEND": "0",
    "LOG_LEVEL": "WARNING",  # one JSON line per request would cost the 2 cores more than the app
    "THROTTLE_ENABLED": "0",  # the load is one user; per-user throttling is tested elsewhere
}
MAX_ERROR_RATE = 0.001
READY_WITHIN = 10.0
BASE = f"http://127.0.0.1:{NGINX_PORT}"


class Check:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.lines: list[str] = []

    def expect(self, ok: bool, what: str) -> None:
        self.lines.append(f"  [{'ok' if ok else 'FAIL'}] {what}")
        if not ok:
            self.failures.append(what)

    def note(self, what: str) -> None:
        self.lines.append(f"         {what}")


def stack(*args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | STACK_ENV
    subprocess.run([str(ROOT / "scripts" / "stack.sh"), *args], env=env, check=True)


def django_env() -> dict[str, str]:
    env = dict(os.environ)
    for line in (STATE / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    return env


def manage(*args: str) -> str:
    cmd = [str(ROOT / ".venv" / "bin" / "python"), "backend/manage.py", *args]
    return subprocess.run(
        cmd, cwd=ROOT, env=django_env(), check=True, capture_output=True, text=True
    ).stdout


def pg_ctl(*args: str) -> None:
    bindir = (STATE / "run" / "pg_bindir").read_text().strip()
    cmd = [f"{bindir}/pg_ctl", "-D", str(STATE / "pg" / "data"), *args]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def master_pid(name: str) -> int:
    return int((STATE / "run" / f"{name}.pid").read_text().split()[0])


def ready_status(port: int) -> int:
    client = Client(f"http://127.0.0.1:{port}", "-", timeout=3)
    status, _ = client.call("GET", "/api/health/ready")
    client.close()
    return status


def seed() -> tuple[int, str, list[int]]:
    out = manage("seed_bench", "--bills", "300", "--members", "8", "--email", "faults@local.test")
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    gid, token = int(values["GROUP_ID"]), values["TOKEN"]
    status, body = Client(BASE, token).call("GET", f"/api/groups/{gid}/members")
    assert status == 200, (status, body[:200])
    return gid, token, [m["id"] for m in json.loads(body)["items"]]


def check_writes(check: Check, results: Results, label: str) -> dict[str, int]:
    """Every acknowledged write exactly once in the database; a given-up one at most once."""
    prefix = "load:"
    with psycopg.connect(django_env()["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT notes, count(*) FROM bills_bill WHERE notes LIKE 'load:%' GROUP BY notes"
        ).fetchall()
    counts = {notes.removeprefix(prefix): n for notes, n in rows}
    missing = [a.key for a in results.acked if counts.get(a.key, 0) == 0]
    doubled = [k for k, n in counts.items() if n > 1]
    retried = sum(1 for a in results.acked if a.attempts > 1)
    check.expect(
        not missing and not doubled and not results.rejected,
        f"{label}: {len(results.acked)} acknowledged writes ({retried} after a retry with the same"
        f" key) all in the database once; missing {len(missing)}, duplicated {len(doubled)},"
        f" rejected {len(results.rejected)}",
    )
    if results.rejected:
        check.note(f"first rejection: {results.rejected[0]}")
    return {"acked": len(results.acked), "retried": retried, "missing": len(missing)}


def error_rate(check: Check, results: Results, label: str, start: float, end: float) -> dict:
    total, errors = results.reads(start, end)
    rate = errors / total if total else 1.0
    check.expect(
        total > 0 and rate < MAX_ERROR_RATE,
        f"{label}: idempotent requests {total}, errors {errors} ({rate:.3%}; limit"
        f" {MAX_ERROR_RATE:.1%})",
    )
    return {"reads": total, "read_errors": errors, "read_error_rate": rate}


def kill9(check: Check, gid: int, token: str, members: list[int]) -> dict:
    load = Load(BASE, token, gid, members, readers=4, writers=2).start()
    time.sleep(5)
    t_kill = time.monotonic()
    pid = master_pid("api-2")
    os.killpg(pid, signal.SIGKILL)
    time.sleep(10)
    results = load.stop()
    out = error_rate(check, results, "kill -9 api-2", 0, float("inf"))
    after, after_errors = results.reads(t_kill)
    out |= {"reads_after_kill": after, "errors_after_kill": after_errors}
    check.note(f"after the kill: {after} reads, {after_errors} errors")
    out |= check_writes(check, results, "kill -9 api-2")
    stack("up")  # brings api-2 back
    return out


def pgrestart(check: Check, gid: int, token: str, members: list[int]) -> dict:
    ports = {f"api-{i + 1}": API_PORT + i for i in range(3)} | {"nginx": NGINX_PORT}
    seen: dict[str, list[tuple[float, int]]] = {name: [] for name in ports}
    stop = threading.Event()

    def poll(name: str, port: int) -> None:
        while not stop.is_set():
            seen[name].append((time.monotonic(), ready_status(port)))
            time.sleep(0.1)

    pollers = [threading.Thread(target=poll, args=item, daemon=True) for item in ports.items()]
    for thread in pollers:
        thread.start()
    load = Load(BASE, token, gid, members, readers=4, writers=2).start()
    time.sleep(4)
    t_down = time.monotonic()
    pg_ctl("-m", "immediate", "-w", "stop")
    time.sleep(4)
    pg_ctl("-w", "-t", "30", "-l", str(STATE / "pg" / "server.log"), "start")
    t_back = time.monotonic()
    time.sleep(READY_WITHIN + 2)
    stop.set()
    results = load.stop()
    for thread in pollers:
        thread.join()
    out: dict = {"down_seconds": round(t_back - t_down, 2)}
    for name, samples in seen.items():
        went_503 = any(s == 503 for t, s in samples if t_down < t < t_back)
        back = [t for t, s in samples if t >= t_back and s == 200]
        recovery = round(back[0] - t_back, 2) if back else None
        out[f"{name}_ready_after_s"] = recovery
        check.expect(
            went_503 and recovery is not None and recovery <= READY_WITHIN,
            f"PostgreSQL restart: {name} readiness 503 while down: {went_503};"
            f" 200 again {recovery} s after the database was back (limit {READY_WITHIN:.0f} s)",
        )
    total, errors = results.reads()
    check.note(f"reads: {total}, errors {errors} (database down {out['down_seconds']} s)")
    out |= {"reads": total, "read_errors": errors}
    out |= check_writes(check, results, "PostgreSQL restart")
    return out


def sigterm(check: Check, gid: int, token: str, members: list[int]) -> dict:
    api = Client(BASE, token)
    group = {"name": "SIGTERM", "currency": "IDR"}
    status, body = api.call("POST", "/api/groups", group, {"Idempotency-Key": "sigterm"})
    assert status in (200, 201), (status, body[:300])
    slow_gid = json.loads(body)["id"]
    _, body = api.call("GET", f"/api/groups/{slow_gid}/members")
    me = json.loads(body)["items"][0]["id"]
    load = Load(BASE, token, gid, members, readers=4, writers=1).start()
    time.sleep(3)
    port, inflight = API_PORT + 2, 4
    statuses: list[int] = []
    lock = psycopg.connect(django_env()["DATABASE_URL"])
    lock.execute("SELECT id FROM groups_member WHERE group_id = %s FOR UPDATE", [slow_gid])

    def slow_write(i: int) -> None:
        client = Client(f"http://127.0.0.1:{port}", token, timeout=20)
        status, _ = client.call(
            "POST", f"/api/groups/{slow_gid}/bills", bill_body([me], f"slow:{i}:{time.time()}"),
            {"Idempotency-Key": f"slow-{i}-{time.time()}"},
        )  # fmt: skip
        statuses.append(status)

    writers = [threading.Thread(target=slow_write, args=(i,)) for i in range(inflight)]
    for thread in writers:
        thread.start()
    waiting = 0
    for _ in range(100):  # until all 4 wait on our row lock
        with psycopg.connect(django_env()["DATABASE_URL"], autocommit=True) as conn:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()[0]
        if waiting >= inflight:
            break
        time.sleep(0.05)
    t_term = time.monotonic()
    pid = master_pid("api-3")
    exited_at: list[float] = []

    def watch_exit() -> None:
        while time.monotonic() - t_term < 15:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                exited_at.append(time.monotonic() - t_term)
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=watch_exit, daemon=True)
    watcher.start()
    os.kill(pid, signal.SIGTERM)
    time.sleep(1.5)
    lock.rollback()  # the in-flight requests proceed now, 1.5 s into the shutdown
    lock.close()
    t_release = time.monotonic() - t_term
    for thread in writers:
        thread.join(timeout=20)
    watcher.join()
    time.sleep(2)
    results = load.stop()
    check.expect(waiting >= inflight, f"SIGTERM api-3: {waiting} in flight (wanted {inflight})")
    check.expect(
        sorted(statuses) == [201] * inflight,
        f"SIGTERM api-3: in-flight requests completed with {sorted(statuses)}",
    )
    exit_s = round(exited_at[0], 2) if exited_at else None
    check.expect(
        exit_s is not None and exit_s < 10,
        f"SIGTERM api-3: the instance exited {exit_s} s after TERM (in-flight released at"
        f" {t_release:.1f} s; Cloud Run kills at 10 s)",
    )
    out = {"inflight": inflight, "inflight_statuses": sorted(statuses), "exit_after_s": exit_s}
    out |= error_rate(check, results, "SIGTERM api-3", 0, float("inf"))
    out |= check_writes(check, results, "SIGTERM api-3")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="kill9,pgrestart,sigterm")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    args = parser.parse_args()

    def over_time(*_: object) -> None:
        raise TimeoutError("faults: over the 7-minute bound")

    signal.signal(signal.SIGALRM, over_time)
    signal.alarm(420)  # bounded, whatever happens; the finally below still stops the stack
    scenarios = {"kill9": kill9, "pgrestart": pgrestart, "sigterm": sigterm}
    started = time.monotonic()
    stack("down", "--purge")
    stack("up")
    check, report = Check(), {}
    try:
        gid, token, members = seed()
        for name in args.only.split(","):
            print(f"faults: {name} ...", flush=True)
            report[name] = scenarios[name](check, gid, token, members)
    finally:
        if not args.keep:
            stack("down")
    report["seconds"] = round(time.monotonic() - started, 1)
    (STATE / "faults.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nfaults: summary ({report['seconds']} s, machine: {os.cpu_count()} cores)")
    print("\n".join(check.lines))
    verdict = "FAILED: " + "; ".join(check.failures) if check.failures else "all expectations held"
    print(f"faults: {verdict}")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
