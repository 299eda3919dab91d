"""A small, bounded HTTP load loop against the local stack (loopback only), used by
scripts/faults.py (steady load while faults are injected) and scripts/stack-bench.sh (throughput).

Readers send idempotent GETs; writers create bills with an `Idempotency-Key` and retry only with
that same key, so a write is either acknowledged once (2xx) or not at all. Every request is
recorded with its time, so a caller can count errors inside any window.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
READ_WEIGHTS = [("bills", 4), ("balances", 2), ("members", 2), ("groups", 1), ("settle", 1)]


@dataclass
class Record:
    at: float
    kind: str  # "read" | "write"
    status: int  # 0: connection error / timeout
    ms: float = 0.0


@dataclass
class Ack:
    key: str
    bill_id: int
    attempts: int


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    acked: list[Ack] = field(default_factory=list)
    unacked: list[str] = field(default_factory=list)  # gave up: must be in the DB at most once
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # 4xx: a test bug
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reads(self, start: float = 0.0, end: float = float("inf")) -> tuple[int, int]:
        window = [r for r in self.records if r.kind == "read" and start <= r.at < end]
        return len(window), sum(1 for r in window if not 200 <= r.status < 300)


class Client:
    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise SystemExit(f"loopback targets only, not {parts.hostname}")
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def call(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """(status, body); status 0 on a connection error or timeout (the connection is dropped)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers={**self.headers, **(headers or {})})
            response = self.conn.getresponse()
            payload = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, payload
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def bill_body(members: list[int], tag: str) -> dict[str, object]:
    people = members[:4]
    return {
        "title": "Load test dinner",
        "date": "2026-11-20",
        "notes": tag,
        "payers": [{"member_id": members[0], "amount": "120000"}],
        "split": {"mode": "equal", "members": [{"member_id": m} for m in people]},
        "total": "120000",
    }


def write_once(
    client: Client, gid: int, members: list[int], results: Results, retry_for: float = 30.0
) -> None:
    """Create one bill; retry the same request with the same key until a 2xx or `retry_for`."""
    key = uuid.uuid4().hex
    body = bill_body(members, f"load:{key}")
    deadline = time.monotonic() + retry_for
    attempts, delay = 0, 0.05
    while True:
        attempts += 1
        started = time.monotonic()
        status, payload = client.call(
            "POST", f"/api/groups/{gid}/bills", body, {"Idempotency-Key": key}
        )
        now = time.monotonic()
        with results.lock:
            results.records.append(Record(now, "write", status, (now - started) * 1000))
        if 200 <= status < 300:
            with results.lock:
                results.acked.append(Ack(key, int(json.loads(payload)["id"]), attempts))
            return
        if 400 <= status < 500 and status not in (408, 409, 429):
            with results.lock:
                results.rejected.append((key, status, payload[:300].decode(errors="replace")))
            return
        if time.monotonic() + delay > deadline:
            with results.lock:
                results.unacked.append(key)
            return
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def read_once(client: Client, gid: int, results: Results, rng: random.Random) -> None:
    name = rng.choices([n for n, _ in READ_WEIGHTS], [w for _, w in READ_WEIGHTS])[0]
    path = {
        "bills": f"/api/groups/{gid}/bills?limit=20",
        "balances": f"/api/groups/{gid}/balances",
        "members": f"/api/groups/{gid}/members",
        "groups": "/api/groups?limit=20",
        "settle": f"/api/groups/{gid}/settle",
    }[name]
    started = time.monotonic()
    status, _ = client.call("GET", path)
    now = time.monotonic()
    with results.lock:
        results.records.append(Record(now, "read", status, (now - started) * 1000))


class Load:
    """`readers` + `writers` threads until stop() or `max_seconds`, whichever comes first."""

    def __init__(
        self,
        base_url: str,
        token: str,
        gid: int,
        members: list[int],
        *,
        readers: int = 4,
        writers: int = 2,
        pause: float = 0.0,
        max_seconds: float = 240.0,
    ) -> None:
        self.args = (base_url, token, gid, members)
        self.readers, self.writers, self.pause = readers, writers, pause
        self.deadline = time.monotonic() + max_seconds
        self.results = Results()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def _running(self) -> bool:
        return not self.stopping.is_set() and time.monotonic() < self.deadline

    def _reader(self, seed: int) -> None:
        base_url, token, gid, _ = self.args
        client, rng = Client(base_url, token), random.Random(seed)
        while self._running():
            read_once(client, gid, self.results, rng)
            if self.pause:
                time.sleep(self.pause)
        client.close()

    def _writer(self) -> None:
        base_url, token, gid, members = self.args
        client = Client(base_url, token)
        while self._running():
            write_once(client, gid, members, self.results)
            if self.pause:
                time.sleep(self.pause * 4)
        client.close()

    def start(self) -> Load:
        self.threads = [
            threading.Thread(target=self._reader, args=(i,), daemon=True)
            for i in range(self.readers)
        ] + [threading.Thread(target=self._writer, daemon=True) for _ in range(self.writers)]
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> Results:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)
        return self.results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def stack_cpu_seconds(stack_dir: str) -> float:
    """CPU seconds used so far by the stack's processes: every gunicorn instance's process group,
    nginx and PostgreSQL (master and children). Processes that exit meanwhile are not counted."""
    from pathlib import Path

    state = Path(stack_dir)
    groups = {int(p.read_text().split()[0]) for p in state.glob("run/api-*.pid")}
    parents = {int(p.read_text().split()[0]) for p in state.glob("run/nginx.pid")}
    postmaster = state / "pg" / "data" / "postmaster.pid"
    if postmaster.exists():
        parents.add(int(postmaster.read_text().split()[0]))
    ticks = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid, pgid = int(proc.name), int(fields[1]), int(fields[2])
        if pgid in groups or pid in parents or ppid in parents:
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Throughput of a read-heavy mix for `--seconds` (after `--warmup`): one JSON line."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--group-id", type=int, required=True)
    parser.add_argument("--members", required=True, help="comma-separated member ids")
    parser.add_argument("--readers", type=int, default=12)
    parser.add_argument("--writers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--stack-dir", help="also report the stack's CPU time per request")
    args = parser.parse_args()
    members = [int(m) for m in args.members.split(",")]
    load = Load(
        args.base_url, args.token, args.group_id, members,
        readers=args.readers, writers=args.writers, max_seconds=args.warmup + args.seconds + 5,
    )  # fmt: skip
    started = time.monotonic()
    load.start()
    time.sleep(args.warmup)
    busy0, total0 = cpu_times()
    server0 = stack_cpu_seconds(args.stack_dir) if args.stack_dir else 0.0
    client0 = sum(os.times()[:2])
    time.sleep(args.seconds)
    busy1, total1 = cpu_times()
    server1 = stack_cpu_seconds(args.stack_dir) if args.stack_dir else 0.0
    client1 = sum(os.times()[:2])
    results = load.stop()
    start, end = started + args.warmup, started + args.warmup + args.seconds
    window = [r for r in results.records if start <= r.at < end]
    reads = [r for r in window if r.kind == "read"]
    ok = [r.ms for r in window if 200 <= r.status < 300]
    print(
        json.dumps(
            {
                "requests_per_s": round(len(window) / args.seconds, 1),
                "reads_per_s": round(len(reads) / args.seconds, 1),
                "writes_per_s": round((len(window) - len(reads)) / args.seconds, 1),
                "errors": sum(1 for r in window if not 200 <= r.status < 300),
                "p50_ms": round(percentile(ok, 0.5), 1),
                "p95_ms": round(percentile(ok, 0.95), 1),
                "client_threads": args.readers + args.writers,
                "machine_cpu_busy": round((busy1 - busy0) / max(1, total1 - total0), 2),
                "load_average": round(os.getloadavg()[0], 1),
                "server_cpu_ms_per_request": round(
                    (server1 - server0) * 1000 / max(1, len(window)), 1
                ),
                "client_cpu_ms_per_request": round(
                    (client1 - client0) * 1000 / max(1, len(window)), 1
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
