#!/usr/bin/env python3
"""HTTP benchmark of the API's hot endpoints against a running server (loopback only).

Sequential requests over one keep-alive connection, so the numbers are server latency, not
client concurrency. Prints a Markdown table (p50 / p95 / max in ms, response size).
Usage: bench_http.py --base-url http://127.0.0.1:8000 --token pyt_... --group-id 1 [-n 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from urllib.parse import urlsplit


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Client:
    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("bench_http: loopback targets only")
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> tuple[int, bytes, float]:
        data = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--group-id", type=int, required=True)
    parser.add_argument("-n", "--requests", type=int, default=200)
    args = parser.parse_args()
    client = Client(args.base_url, args.token)
    gid = args.group_id

    status, body, _ = client.call("GET", f"/api/groups/{gid}/members")
    if status != 200:
        sys.exit(f"bench_http: members -> {status} {body[:200]!r}")
    members = [m["id"] for m in json.loads(body)["items"]]
    status, body, _ = client.call("GET", f"/api/groups/{gid}/bills?limit=50")
    cursor = json.loads(body)["next_cursor"]
    new_bill = {
        "title": "Bench dinner",
        "date": "2026-11-20",
        "payers": [{"member_id": members[0], "amount": "300000"}],
        "split": {"mode": "equal", "members": [{"member_id": m} for m in members[:4]]},
        "total": "300000",
    }
    cases: list[tuple[str, str, str, object]] = [
        ("balances", "GET", f"/api/groups/{gid}/balances", None),
        ("settle", "GET", f"/api/groups/{gid}/settle", None),
        ("bills page 1", "GET", f"/api/groups/{gid}/bills?limit=50", None),
        ("bills page 2", "GET", f"/api/groups/{gid}/bills?limit=50&cursor={cursor}", None),
        ("bill preview", "POST", f"/api/groups/{gid}/bills/preview", new_bill),
        ("bill create", "POST", f"/api/groups/{gid}/bills", new_bill),
    ]
    print("| endpoint | requests | p50 ms | p95 ms | max ms | mean ms | response bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, method, path, payload in cases:
        for _ in range(5):  # warm-up: connections, caches, code paths
            client.call(method, path, payload)
        timings: list[float] = []
        size = 0
        for _ in range(args.requests):
            status, body, elapsed = client.call(method, path, payload)
            if status >= 400:
                sys.exit(f"bench_http: {name} -> {status} {body[:300]!r}")
            timings.append(elapsed)
            size = max(size, len(body))
        print(
            f"| {name} | {len(timings)} | {percentile(timings, 0.5):.1f} | "
            f"{percentile(timings, 0.95):.1f} | {max(timings):.1f} | "
            f"{statistics.fmean(timings):.1f} | {size} |"
        )


if __name__ == "__main__":
    main()
