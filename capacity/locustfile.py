"""Paytungan user journeys for Locust: the behaviour model of docs/capacity.md.

Each simulated user is one person with the app open in a browser (session cookie + CSRF, or a
Bearer token with CAPACITY_AUTH=token). About every 1/CAPACITY_PACE seconds they take one action,
picked by the weights below: open the home screen, open a group, page through its bills, add an
itemized receipt, check balances and settle-up, record or confirm a payment, log in again.
The gaps between a user's actions are exponential (a Poisson process of rate CAPACITY_PACE), so
the actions of all users together arrive as a Poisson stream whose rate does not depend on how
fast the server answers: an open model, offered load = users x pace x requests per action.

Environment:
  CAPACITY_ACCOUNTS        accounts file from `python -m capacity.planner.seed_command` (required)
  CAPACITY_AUTH            session (default) | token
  CAPACITY_PACE            actions per user per second (default 0.2: one every 5 s)
  CAPACITY_STEPS           users per load step, e.g. "20,40,80"; without it, use -u/-r as usual
  CAPACITY_STEP_SECONDS    length of each step (default 30)
  CAPACITY_WARMUP_SECONDS  start of each step left out of its figures (default 5)
  CAPACITY_OUT             directory for steps.jsonl (one line per finished step) and live.json
  CAPACITY_CPU_PIDS        "server=PID,PID;db=PID": process trees whose CPU time (/proc) is read at
                           each step's window start and end and reported per request, with this
                           load generator's own (the planner's CPU normalisation, ADR 0010)
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent  # type: ignore[import-untyped]
from locust import LoadTestShape, events, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS_FILE = os.environ.get("CAPACITY_ACCOUNTS", "var/capacity/accounts.json")
AUTH = os.environ.get("CAPACITY_AUTH", "session")
PACE = float(os.environ.get("CAPACITY_PACE", "0.2"))
STEPS = [int(n) for n in os.environ.get("CAPACITY_STEPS", "").split(",") if n.strip()]
STEP_SECONDS = float(os.environ.get("CAPACITY_STEP_SECONDS", "30"))
WARMUP_SECONDS = float(os.environ.get("CAPACITY_WARMUP_SECONDS", "5"))
OUT = Path(os.environ.get("CAPACITY_OUT", "capacity-report/raw"))
PAGE = 20  # bills per page, as the frontend asks
CPU_PIDS = {
    group: [int(p) for p in pids.split(",") if p.strip()]
    for group, _, pids in (
        part.partition("=") for part in os.environ.get("CAPACITY_CPU_PIDS", "").split(";") if part
    )
}
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

_accounts: dict[str, Any] = json.loads(Path(ACCOUNTS_FILE).read_text())
ACCOUNTS = [a for a in _accounts["accounts"] if a["groups"]]
PASSWORD = _accounts["password"]
_next_account = itertools.count()


# --- measurement: per-step figures, written as the test runs ----------------------------------
class Window:
    """Samples of one step, after its warm-up."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.failures = 0
        self.actions = 0
        self.by_name: dict[str, list[float]] = defaultdict(list)
        self.failed_by_name: dict[str, int] = defaultdict(int)


def _pct(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.5) - 1))]


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds of it and its reaped children) for every process."""
    table: dict[int, tuple[int, float]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            raw = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "
        # fields[1] ppid; [11..14] utime, stime, cutime, cstime in clock ticks
        table[int(name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]) / _TICK)
    return table


def cpu_sample() -> dict[str, float]:
    """CPU seconds used so far by each CAPACITY_CPU_PIDS tree, and by this process."""
    sample = {"loadgen": sum(os.times()[:2])}
    if not CPU_PIDS:
        return sample
    table = _proc_table()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (ppid, _) in table.items():
        children[ppid].append(pid)
    for group, roots in CPU_PIDS.items():
        seen: set[int] = set()
        todo = [p for p in roots if p in table]
        while todo:
            pid = todo.pop()
            if pid not in seen:
                seen.add(pid)
                todo += children.get(pid, [])
        sample[group] = sum(table[p][1] for p in seen)
    return sample


class Meter:
    def __init__(self) -> None:
        self.t0: float | None = None
        self.windows: dict[int, Window] = defaultdict(Window)
        self.written: set[int] = set()
        self.recent: deque[tuple[float, float, bool]] = deque()
        self.cpu_start: dict[int, tuple[float, dict[str, float]]] = {}
        self.cpu_end: dict[int, tuple[float, dict[str, float]]] = {}

    def mark_cpu(self) -> None:
        """At each step's window start and at its end (the next step's start, or the stop)."""
        index, into = self.position()
        now = time.monotonic()
        for done in range(min(index, len(STEPS))):
            if done in self.cpu_start and done not in self.cpu_end:
                self.cpu_end[done] = (now, cpu_sample())
        if index < len(STEPS) and into >= WARMUP_SECONDS and index not in self.cpu_start:
            self.cpu_start[index] = (now, cpu_sample())

    def cpu_per_request(self, index: int, rps: float) -> dict[str, float]:
        if index not in self.cpu_start or rps <= 0:
            return {}
        t0, start = self.cpu_start[index]
        t1, end = self.cpu_end.get(index) or (time.monotonic(), cpu_sample())
        requests = rps * (t1 - t0)
        if requests <= 0:
            return {}
        return {
            f"{group}_cpu_ms": round(1000 * (end[group] - start[group]) / requests, 3)
            for group in start
            if group in end
        }

    def position(self) -> tuple[int, float]:
        elapsed = time.monotonic() - (self.t0 or time.monotonic())
        index = int(elapsed // STEP_SECONDS)
        return index, elapsed - index * STEP_SECONDS

    def window(self) -> Window | None:
        if self.t0 is None or not STEPS:
            return None
        index, into = self.position()
        return self.windows[index] if into >= WARMUP_SECONDS else None

    def request(self, name: str, ms: float, failed: bool) -> None:
        now = time.monotonic()
        self.recent.append((now, ms, failed))
        w = self.window()
        if w is not None:
            w.times.append(ms)
            w.by_name[name].append(ms)
            if failed:
                w.failures += 1
                w.failed_by_name[name] += 1

    def action(self) -> None:
        w = self.window()
        if w is not None:
            w.actions += 1

    def finish(self, index: int, measured: float) -> None:
        if index in self.written or index >= len(STEPS) or measured <= 0:
            return
        self.written.add(index)
        w = self.windows.get(index, Window())
        ordered = sorted(w.times)
        users = STEPS[index]
        rps = len(ordered) / measured
        line: dict[str, Any] = {
            "step": index,
            "users": users,
            "seconds": round(measured, 2),
            "requests": len(ordered),
            "failures": w.failures,
            "rps": round(len(ordered) / measured, 2),
            "p50_ms": round(_pct(ordered, 0.50), 1),
            "p95_ms": round(_pct(ordered, 0.95), 1),
            "p99_ms": round(_pct(ordered, 0.99), 1),
            "mean_ms": round(sum(ordered) / len(ordered), 1) if ordered else 0.0,
            "actions": w.actions,
            "pace_held": round(w.actions / (users * PACE * measured), 3) if users else 0.0,
            "by_name": {
                name: {
                    "requests": len(times),
                    "failures": w.failed_by_name.get(name, 0),
                    "p95_ms": round(_pct(sorted(times), 0.95), 1),
                    "mean_ms": round(sum(times) / len(times), 1),
                }
                for name, times in sorted(w.by_name.items())
            },
            **self.cpu_per_request(index, rps),
        }
        with (OUT / "steps.jsonl").open("a") as fh:
            fh.write(json.dumps(line) + "\n")

    def live(self, users: int) -> None:
        now = time.monotonic()
        while self.recent and self.recent[0][0] < now - 5:
            self.recent.popleft()
        times = sorted(ms for _, ms, _ in self.recent)
        failed = sum(1 for *_, f in self.recent if f)
        index, into = self.position()
        status = {
            "step": index,
            "into_step": round(into, 1),
            "users": users,
            "rps": round(len(times) / 5, 1),
            "p95_ms": round(_pct(times, 0.95), 1),
            "error_rate": failed / len(times) if times else 0.0,
        }
        tmp = OUT / "live.json.tmp"
        tmp.write_text(json.dumps(status))
        tmp.replace(OUT / "live.json")


METER = Meter()


@events.request.add_listener
def _on_request(name: str, response_time: float, exception: Any, **_: Any) -> None:
    METER.request(name, response_time, exception is not None)


@events.test_start.add_listener
def _on_start(environment: Any, **_: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    METER.t0 = time.monotonic()

    def tick() -> None:
        while True:
            gevent.sleep(1)
            runner = environment.runner
            METER.live(runner.user_count if runner else 0)
            METER.mark_cpu()
            index, _into = METER.position()
            for done in range(index):
                METER.finish(done, STEP_SECONDS - WARMUP_SECONDS)

    gevent.spawn(tick)


@events.test_stop.add_listener
def _on_stop(**_: Any) -> None:
    # A step cut short (the runner stops once the SLO is clearly broken) still counts if it
    # measured at least half its window.
    METER.mark_cpu()
    index, into = METER.position()
    for done in range(min(index, len(STEPS))):
        METER.finish(done, STEP_SECONDS - WARMUP_SECONDS)
    measured = into - WARMUP_SECONDS
    if index < len(STEPS) and measured >= (STEP_SECONDS - WARMUP_SECONDS) / 2:
        METER.finish(index, measured)


if STEPS:

    class Steps(LoadTestShape):
        """CAPACITY_STEPS users, each step CAPACITY_STEP_SECONDS long, ramped within ~2 s."""

        def tick(self) -> tuple[int, float] | None:
            index = int(self.get_run_time() // STEP_SECONDS)
            if index >= len(STEPS):
                return None
            previous = STEPS[index - 1] if index else 0
            return STEPS[index], max(10.0, abs(STEPS[index] - previous) / 2)


# --- the journeys ------------------------------------------------------------------------------
def action(weight: int) -> Callable[[Callable[[Paytungan], None]], Any]:
    """A task with its weight in the behaviour model, counted for the pace check."""

    def wrap(fn: Callable[[Paytungan], None]) -> Any:
        def run(user: Paytungan) -> None:
            METER.action()
            fn(user)

        run.__name__ = fn.__name__
        return task(weight)(run)

    return wrap


def _half_up_percent(amount: int, percent: int) -> int:
    return (amount * percent + 50) // 100  # the server's rule: round half up to the minor unit


def poisson_pace(user: Paytungan) -> float:
    """Seconds until this user's next action: exponential gaps between action starts. A user
    behind schedule (a slow server) starts at once, catching up at most two gaps' worth."""
    now = time.monotonic()
    user.next_action = max(user.next_action, now - 2 / PACE) + user.rng.expovariate(PACE)
    return max(0.0, user.next_action - now)


class Paytungan(FastHttpUser):
    wait_time = poisson_pace

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311 - load, not secrets
        # A random phase: users spawned together must not act in lockstep (bursts, not load).
        gevent.sleep(self.rng.uniform(0, 1 / PACE))
        self.next_action = time.monotonic()
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.origin = (self.host or "").rstrip("/")
        self.headers: dict[str, str] = {"Referer": self.origin + "/", "Origin": self.origin}
        self.members: dict[int, dict[str, Any]] = {}
        self.cursors: dict[int, str | None] = {}
        if AUTH == "token":
            self.headers["Authorization"] = f"Bearer {self.account['token']}"
        else:
            self._cookie("sessionid", self.account["session"])
            self._csrf()

    # --- helpers ------------------------------------------------------------------------------
    def _cookie(self, name: str, value: str) -> None:
        host = urlsplit(self.origin).hostname or "127.0.0.1"
        cookie = Cookie(
            version=0, name=name, value=value, port=None, port_specified=False, domain=host,
            domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
            secure=False, expires=None, discard=False, comment=None, comment_url=None, rest={},
        )  # fmt: skip
        self.client.cookiejar.set_cookie(cookie)

    def _csrf(self) -> None:
        response = self.client.get("/api/auth/csrf", name="GET /api/auth/csrf")
        if response.status_code == 200:
            self.headers["X-CSRFToken"] = response.json()["csrf_token"]

    def get(self, path: str, name: str) -> Any:
        response = self.client.get(path, headers=self.headers, name=name)
        return response.json() if response.status_code == 200 else None

    def send(self, method: str, path: str, body: Any, name: str, **headers: str) -> Any:
        response = self.client.request(
            method, path, json=body, headers={**self.headers, **headers}, name=name
        )
        return response.json() if response.status_code in (200, 201) else None

    def group(self) -> int:
        gid: int = self.rng.choice(self.account["groups"])
        return gid

    def roster(self, gid: int) -> dict[str, Any] | None:
        if gid not in self.members:
            body = self.get(f"/api/groups/{gid}/members", "GET /api/groups/{gid}/members")
            if body is None:
                return None
            me = next((m["id"] for m in body["items"] if m["is_me"]), None)
            others = [m["id"] for m in body["items"] if not m["is_me"]]
            users = [m["id"] for m in body["items"] if m["user_id"] and not m["is_me"]]
            self.members[gid] = {"me": me, "others": others, "users": users}
        return self.members[gid]

    # --- actions: weights per 100 actions (docs/capacity.md, "Behaviour model") -------------
    @action(32)
    def open_home(self) -> None:
        self.get("/api/groups", "GET /api/groups")
        self.get("/api/me/payments?direction=incoming&status=pending", "GET /api/me/payments")

    @action(22)
    def open_group(self) -> None:
        gid = self.group()
        self.get(f"/api/groups/{gid}", "GET /api/groups/{gid}")
        self.members.pop(gid, None)  # the page reloads the member list
        self.roster(gid)
        page = self.get(f"/api/groups/{gid}/bills?limit={PAGE}", "GET /api/groups/{gid}/bills")
        self.cursors[gid] = page["next_cursor"] if page else None
        self.get(f"/api/groups/{gid}/balances", "GET /api/groups/{gid}/balances")

    @action(12)
    def page_through_bills(self) -> None:
        gid = self.group()
        cursor = self.cursors.get(gid)
        for _ in range(self.rng.randint(1, 3)):
            query = f"limit={PAGE}" + (f"&cursor={cursor}" if cursor else "")
            page = self.get(f"/api/groups/{gid}/bills?{query}", "GET /api/groups/{gid}/bills")
            cursor = page["next_cursor"] if page else None
            if page and page["items"] and self.rng.random() < 0.3:
                bill = self.rng.choice(page["items"])["id"]
                self.get(f"/api/groups/{gid}/bills/{bill}", "GET /api/groups/{gid}/bills/{bid}")
            if cursor is None:
                break
        self.cursors[gid] = cursor

    @action(8)
    def add_itemized_bill(self) -> None:
        gid = self.group()
        roster = self.roster(gid)
        if not roster or roster["me"] is None:
            return
        people = [roster["me"], *roster["others"]]
        items: list[dict[str, Any]] = []
        for n in range(self.rng.randint(2, 6)):
            eaters = self.rng.sample(people, self.rng.randint(1, min(3, len(people))))
            items.append({
                "name": f"Menu {n + 1}", "quantity": self.rng.randint(1, 3),
                "unit_price": str(self.rng.randint(5, 150) * 1000), "member_ids": sorted(eaters),
            })  # fmt: skip
        subtotal = sum(i["quantity"] * int(i["unit_price"]) for i in items)
        service = _half_up_percent(subtotal, 5)
        total = subtotal + service + _half_up_percent(subtotal + service, 10)
        bill = {
            "title": "Makan malam", "category": "food",
            "payers": [{"member_id": roster["me"], "amount": str(total)}],
            "split": {"mode": "itemized", "items": items,
                      "charges": {"service_percent": "5", "tax_percent": "10"}},
        }  # fmt: skip
        for _ in range(self.rng.randint(1, 2)):  # the form previews as the receipt is typed
            self.send("POST", f"/api/groups/{gid}/bills/preview", bill,
                      "POST /api/groups/{gid}/bills/preview")  # fmt: skip
        self.send("POST", f"/api/groups/{gid}/bills", bill, "POST /api/groups/{gid}/bills",
                  **{"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip

    @action(10)
    def balances_and_settle_up(self) -> None:
        gid = self.group()
        self.get(f"/api/groups/{gid}/balances", "GET /api/groups/{gid}/balances")
        self.get(f"/api/groups/{gid}/settle", "GET /api/groups/{gid}/settle")

    @action(5)
    def record_payment(self) -> None:
        gid = self.group()
        roster = self.roster(gid)
        if not roster or roster["me"] is None or not roster["users"]:
            return
        settle = self.get(f"/api/groups/{gid}/settle", "GET /api/groups/{gid}/settle")
        mine = [t for t in (settle or {}).get("items", []) if t["from_member_id"] == roster["me"]]
        # Pay a suggested transfer to a registered member (so they have something to confirm),
        # else hand someone a small amount back.
        mine = [t for t in mine if t["to_member_id"] in roster["users"]]
        to, amount = (
            (mine[0]["to_member_id"], mine[0]["amount"])
            if mine
            else (self.rng.choice(roster["users"]), str(self.rng.randint(1, 50) * 1000))
        )
        body = {"from_member_id": roster["me"], "to_member_id": to, "amount": amount,
                "currency": "IDR"}  # fmt: skip
        self.send("POST", f"/api/groups/{gid}/payments", body, "POST /api/groups/{gid}/payments",
                  **{"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip

    @action(5)
    def confirm_payment(self) -> None:
        waiting = self.get(
            "/api/me/payments?direction=incoming&status=pending&limit=10", "GET /api/me/payments"
        )
        if not waiting or not waiting["items"]:
            return
        payment = self.rng.choice(waiting["items"])
        path = f"/api/groups/{payment['group_id']}/payments/{payment['id']}/confirm"
        with self.client.post(
            path, headers=self.headers, name="POST /api/groups/{gid}/payments/{pid}/confirm",
            catch_response=True,
        ) as response:  # fmt: skip
            # Confirmed or removed by someone else a moment ago: a race, not a failure.
            if response.status_code in (404, 409):
                response.success()

    @action(5)
    def read_activity(self) -> None:
        gid = self.group()
        self.get(f"/api/groups/{gid}/activity?limit=20", "GET /api/groups/{gid}/activity")

    @action(1)
    def log_in_again(self) -> None:
        """A new device or an expired session: the full login, Argon2 and all."""
        self._csrf()
        body = {"email": self.account["email"], "password": PASSWORD}
        if self.send("POST", "/api/auth/login", body, "POST /api/auth/login") is not None:
            self._csrf()  # Django rotates the CSRF token at login
