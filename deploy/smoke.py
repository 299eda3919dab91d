#!/usr/bin/env python3
"""The release smoke test: one real, authenticated journey through the API at BASE_URL.

    python deploy/smoke.py https://canary---paytungan-api-123.asia-southeast1.run.app

readiness -> csrf -> register a throwaway user (or log in the smoke account of SMOKE_EMAIL /
SMOKE_PASSWORD) -> log in -> create a group, a guest and a bill -> read the balances and check
the numbers -> delete the bill, check the balances are zero, delete the group -> delete the
throwaway user. Prints one JSON line ({"ok", "steps", "error", "seconds"}) and exits 0
only when every step answered what the HTTP contract says. Standard library only: it runs on a
bare CI runner and inside the test suite (deploy/tests/), against the real app.

It is what deploy/release.py runs against the new revision's tagged URL before and between the
traffic steps, so its verdict decides promotion or rollback.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal
from typing import Any

TIMEOUT = float(os.environ.get("SMOKE_TIMEOUT_SECONDS", "15"))
TOTAL = 300_000  # IDR, zero decimals: 150,000 each, no remainder to argue about


class SmokeFailure(Exception):
    pass


class Client:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def call(self, method: str, path: str, body: Any = None, *, expect: int) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        # Same-origin as a browser on this host would be: Django's CSRF check compares Origin
        # with the Host, so the tagged URL needs no CSRF_TRUSTED_ORIGINS entry.
        request.add_header("Origin", self.base)
        request.add_header("X-Request-ID", f"release-smoke-{secrets.token_hex(6)}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if method != "GET" and self.csrf:
            request.add_header("X-CSRFToken", self.csrf)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        if status != expect:
            raise SmokeFailure(f"{method} {path}: {status}, expected {expect}: {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def refresh_csrf(self) -> None:
        self.csrf = self.call("GET", "/api/auth/csrf", expect=200)["csrf_token"]


def journey(client: Client, steps: list[str]) -> None:
    def step(name: str) -> None:
        steps.append(name)

    step("ready")
    client.call("GET", "/api/health/ready", expect=200)
    step("csrf")
    client.refresh_csrf()

    email, password = os.environ.get("SMOKE_EMAIL", ""), os.environ.get("SMOKE_PASSWORD", "")
    throwaway = not (email and password)
    if throwaway:
        domain = os.environ.get("SMOKE_EMAIL_DOMAIN", "example.com")
        email = f"release-smoke-{secrets.token_hex(8)}@{domain}"
        password = secrets.token_urlsafe(24)
        step("register")
        client.call(
            "POST",
            "/api/auth/register",
            {"email": email, "password": password, "name": "Release smoke"},
            expect=201,
        )
        client.refresh_csrf()
    try:
        step("login")
        client.call("POST", "/api/auth/login", {"email": email, "password": password}, expect=200)
        client.refresh_csrf()  # logging in rotates the token
        step("me")
        me = client.call("GET", "/api/me", expect=200)
        if me["email"].lower() != email.lower():
            raise SmokeFailure(f"/api/me is {me['email']!r}, not the account that logged in")
        group_journey(client, step)
    finally:
        if throwaway:
            step("delete-user")
            client.call("DELETE", "/api/me", expect=204)


def group_journey(client: Client, step: Any) -> None:
    step("create-group")
    group = client.call(
        "POST", "/api/groups", {"name": f"Release smoke {time.strftime('%H:%M:%S')}"}, expect=201
    )
    gid = group["id"]
    try:
        members = client.call("GET", f"/api/groups/{gid}/members", expect=200)["items"]
        mine = next(m["id"] for m in members if m["is_me"])
        step("add-guest")
        guest = client.call("POST", f"/api/groups/{gid}/members", {"name": "Guest"}, expect=201)
        step("create-bill")
        bill = client.call(
            "POST",
            f"/api/groups/{gid}/bills",
            {
                "title": "Release smoke",
                "currency": group["currency"],
                "total": str(TOTAL),
                "payers": [{"member_id": mine, "amount": str(TOTAL)}],
                "split": {
                    "mode": "equal",
                    "members": [{"member_id": mine}, {"member_id": guest["id"]}],
                },
            },
            expect=201,
        )
        if sum(Decimal(s["amount"]) for s in bill["shares"]) != TOTAL:
            raise SmokeFailure(f"bill shares do not sum to {TOTAL}: {bill['shares']}")
        step("balances")
        expected = {
            mine: (TOTAL, TOTAL // 2, TOTAL // 2),
            guest["id"]: (0, TOTAL // 2, -TOTAL // 2),
        }
        check_balances(client, gid, expected)
        step("delete-bill")
        client.call("DELETE", f"/api/groups/{gid}/bills/{bill['id']}", expect=200)  # soft delete
        check_balances(client, gid, {mine: (0, 0, 0), guest["id"]: (0, 0, 0)})
    finally:
        step("delete-group")
        client.call("DELETE", f"/api/groups/{gid}", expect=204)


def check_balances(client: Client, gid: int, expected: dict[int, tuple[int, int, int]]) -> None:
    items = client.call("GET", f"/api/groups/{gid}/balances", expect=200)["items"]
    got = {
        i["member_id"]: (Decimal(i["paid"]), Decimal(i["owed"]), Decimal(i["balance"]))
        for i in items
    }
    if got != {k: tuple(Decimal(v) for v in vs) for k, vs in expected.items()}:
        raise SmokeFailure(f"balances are {got}, expected {expected}")


def health(client: Client, steps: list[str]) -> None:
    """--health: readiness only, for the relay (it serves no app journey)."""
    steps.append("ready")
    client.call("GET", "/api/health/ready", expect=200)


def run(base_url: str, *, health_only: bool = False) -> dict[str, Any]:
    started = time.monotonic()
    steps: list[str] = []
    result: dict[str, Any] = {"ok": True, "url": base_url, "steps": steps}
    try:
        (health if health_only else journey)(Client(base_url), steps)
    except (SmokeFailure, OSError, ValueError, KeyError, StopIteration) as error:
        # OSError covers refused connections and timeouts; ValueError/KeyError a body that is
        # not the contract's JSON: all of them are a failed release, none a crash of this script.
        result |= {"ok": False, "error": repr(error)}
    result["seconds"] = round(time.monotonic() - started, 3)
    return result


def main(argv: list[str]) -> int:
    health_only = "--health" in argv
    args = [a for a in argv[1:] if a != "--health"]
    if len(args) != 1:
        print("usage: smoke.py [--health] BASE_URL", file=sys.stderr)
        return 2
    result = run(args[0], health_only=health_only)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
