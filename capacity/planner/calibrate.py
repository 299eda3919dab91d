"""A fixed CPU micro-benchmark: the yardstick that carries a measured CPU cost to another host.

The work is plain single-threaded Python of the kind a request does (dict and string building,
a JSON round trip, a hash), so its time tracks the interpreter's speed on that core. Run it on
the measuring host (every run records it) and on the target (`python -m capacity.planner
calibrate` in a Cloud Run job or on the VM): CPU ms per request there = CPU ms here x
(calibration there / calibration here). Best of several rounds: the least disturbed one.
"""

from __future__ import annotations

import hashlib
import json
import time

ROUNDS = 5


def _work() -> int:
    total = 0
    for i in range(4_000):
        row = {"id": i, "name": f"member {i}", "amount": str(i * 1_000), "tags": ["a", "b"]}
        text = json.dumps(row, sort_keys=True)
        total += len(json.loads(text)["name"])
        total += hashlib.sha256(text.encode()).digest()[0]
    return total


def calibration_ms(rounds: int = ROUNDS) -> float:
    """Milliseconds of CPU for the fixed work on one core, best of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        _work()
        best = min(best, time.process_time() - start)
    return round(1000 * best, 2)
