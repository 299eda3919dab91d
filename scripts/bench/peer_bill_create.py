#!/usr/bin/env python3
"""Bill create, Paytungan vs ihatemoney, on the same data (docs/benchmarks.md, "Bill create
against a peer"). Loopback only; run by scripts/bench/peer.sh, which starts both servers.

Both get one group/project of MEMBERS people holding BILLS bills: ours from `seed_bench`,
ihatemoney's project and members through its API, then its bills set-based in its own database
(peer_ihatemoney_seed.sql) when --ihatemoney-db is given, else through its API (~30 ms a bill).
Then REQUESTS bill creates each (4 people sharing equally, one payer), sequentially over one
keep-alive connection, in interleaved rounds so both see the same machine; then READS rounds of
the read side (our balances and settle, its GET project, which carries the balances, and GET
bills). Prints p50/p95 per app and the ratios.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Http:
    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            sys.exit("peer bench: loopback targets only")
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        self.headers = headers

    def call(self, method: str, path: str, body: bytes | None, kind: str) -> tuple[int, Any]:
        headers = {**self.headers, "Content-Type": kind} if body is not None else self.headers
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed an idle keep-alive connection (gunicorn's 2 s default) while the
            # other app was being seeded; the request never reached it, so send it again.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None


class Paytungan:
    def __init__(self, url: str, token: str, gid: int, name: str = "Paytungan") -> None:
        self.name = name
        # The group and its bills come from `seed_bench` (peer.sh), the same shape as below.
        self.http = Http(url, {"Authorization": f"Bearer {token}"})
        self.gid = gid
        status, out = self.http.call("GET", f"/api/groups/{gid}/members", None, "")
        assert status == 200, out
        self.ids = [m["id"] for m in out["items"]]

    def _json(self, method: str, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
        return self.http.call(method, path, json.dumps(payload).encode(), "application/json")

    def create(self, i: int) -> None:
        people = [self.ids[(i + k) % len(self.ids)] for k in range(4)]
        status, out = self._json(
            "POST",
            f"/api/groups/{self.gid}/bills",
            {
                "title": f"Dinner {i}",
                "date": "2026-11-20",
                "total": "120000",
                "payers": [{"member_id": people[0], "amount": "120000"}],
                "split": {"mode": "equal", "members": [{"member_id": m} for m in people]},
            },
        )
        assert status == 201, (status, out)


class IHateMoney:
    name = "ihatemoney 7.2.1"

    def __init__(self, url: str, members: int) -> None:
        self.project = project = f"bench{time.time_ns()}"
        anon = Http(url, {})
        form = {"name": project, "id": project, "password": "bench", "contact_email": "b@x.org"}
        status, out = anon.call(
            "POST", "/api/projects", urlencode(form).encode(), "application/x-www-form-urlencoded"
        )
        assert status == 201, (status, out)
        auth = base64.b64encode(f"{project}:bench".encode()).decode()
        self.base = f"/api/projects/{project}"
        # Its project token, as its web app does: Basic auth would hash the password on every
        # request (about 150 ms here) and measure that instead of bill create.
        status, out = Http(url, {"Authorization": f"Basic {auth}"}).call(
            "GET", f"{self.base}/token", None, ""
        )
        assert status == 200, (status, out)
        self.http = Http(url, {"Authorization": f"Bearer {out['token']}"})
        self.ids = []
        for i in range(members):
            status, out = self._form("POST", f"{self.base}/members", {"name": f"P{i}"})
            assert status == 201, (status, out)
            self.ids.append(int(out))

    def _form(self, method: str, path: str, fields: Any) -> tuple[int, Any]:
        body = urlencode(fields, doseq=True).encode()
        return self.http.call(method, path, body, "application/x-www-form-urlencoded")

    def create(self, i: int) -> None:
        people = [self.ids[(i + k) % len(self.ids)] for k in range(4)]
        status, out = self._form(
            "POST",
            f"{self.base}/bills",
            {
                "date": "2026-11-20",
                "what": f"Dinner {i}",
                "payer": people[0],
                "payed_for": people,
                "amount": "120000",
            },
        )
        assert status == 201, (status, out)

    def seed_sql(self, database_url: str, bills: int) -> None:
        """Bills 0..bills-1, the same rows `create` would make, in one transaction of its DB."""
        sql = Path(__file__).with_name("peer_ihatemoney_seed.sql")
        variables = ["-v", f"project={self.project}", "-v", f"bills={bills}"]
        subprocess.run(["psql", database_url, "-q", *variables, "-f", str(sql)], check=True)


def timed_get(http: Http, path: str) -> float:
    start = time.perf_counter()
    status, out = http.call("GET", path, None, "")
    assert status == 200, (status, out)
    return (time.perf_counter() - start) * 1000


def table(rows: dict[str, list[float]]) -> None:
    print("| request | p50 ms | p95 ms | mean ms | n |")
    print("|---|---:|---:|---:|---:|")
    for name, values in rows.items():
        print(
            f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
            f"| {statistics.fmean(values):.1f} | {len(values)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paytungan", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--group-id", type=int, required=True)
    parser.add_argument("--ihatemoney", required=True)
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reads", type=int, default=3, help="read rounds (0: none)")
    parser.add_argument("--ihatemoney-db", help="its database URL: seed its bills there in SQL")
    parser.add_argument("--before", help="another Paytungan (e.g. main) on the same database")
    args = parser.parse_args()
    ours = Paytungan(args.paytungan, args.token, args.group_id)
    before = (
        Paytungan(args.before, args.token, args.group_id, name="Paytungan before")
        if args.before
        else None
    )
    peer = IHateMoney(args.ihatemoney, len(ours.ids))
    start = time.perf_counter()
    if args.ihatemoney_db:
        peer.seed_sql(args.ihatemoney_db, args.bills)
    else:
        for i in range(args.bills):  # ihatemoney's existing bills, through its own API
            peer.create(i)
    seeded = time.perf_counter() - start
    apps: list[Paytungan | IHateMoney] = [ours, *([before] if before else []), peer]
    times: dict[str, list[float]] = {app.name: [] for app in apps}
    per_round = args.requests // args.rounds
    for r in range(args.rounds):
        for app in apps if r % 2 == 0 else reversed(apps):
            for i in range(per_round):
                start = time.perf_counter()
                app.create(args.bills + r * per_round + i)
                times[app.name].append((time.perf_counter() - start) * 1000)
    how = "SQL" if args.ihatemoney_db else "API"
    print(
        f"data: {len(ours.ids)} members, {args.bills} bills before (ihatemoney's seeded by {how} "
        f"in {seeded:.2f} s), then {args.requests} creates each (4 people, equal split), "
        f"{args.rounds} interleaved rounds"
    )
    print("| app | p50 ms | p95 ms | mean ms |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
            f"| {statistics.fmean(values):.1f} |"
        )
    theirs = statistics.median(times[peer.name])
    for app in apps[:-1]:
        print(
            f"{app.name} p50 / ihatemoney p50 = {statistics.median(times[app.name]) / theirs:.2f}"
        )
    if args.reads <= 0:
        return
    reads: dict[str, list[float]] = {
        "Paytungan GET balances": [],
        "Paytungan GET settle": [],
        "ihatemoney GET project (balances)": [],
        "ihatemoney GET bills": [],
    }
    gid, base = ours.gid, peer.base
    for _ in range(args.reads):  # one of each per round, ours and theirs interleaved
        reads["Paytungan GET balances"].append(timed_get(ours.http, f"/api/groups/{gid}/balances"))
        reads["ihatemoney GET project (balances)"].append(timed_get(peer.http, base))
        reads["Paytungan GET settle"].append(timed_get(ours.http, f"/api/groups/{gid}/settle"))
        reads["ihatemoney GET bills"].append(timed_get(peer.http, f"{base}/bills"))
    print(f"reads: {args.reads} rounds, {args.bills + args.requests} bills")
    table(reads)
    ratio = statistics.median(reads["Paytungan GET balances"]) / statistics.median(
        reads["ihatemoney GET project (balances)"]
    )
    print(f"Paytungan balances p50 / ihatemoney GET project p50 = {ratio:.4f}")


if __name__ == "__main__":
    main()
