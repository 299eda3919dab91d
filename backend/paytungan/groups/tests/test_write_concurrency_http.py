"""Concurrent writes through HTTP on PostgreSQL: many writers in one group, each its own user with
its own Bearer token and its own HTTP connection to a real threaded server (one server thread and
one database connection per request, as under gunicorn's threads).

What must hold: no 5xx, ever; afterwards the running balances sum to zero and equal the oracle
recomputed from the bills and payments, and the pairwise debts kept per pair equal their
aggregate. And a currency change racing a bill create never leaves a bill computed in the other
currency.
"""

from __future__ import annotations

import http.client
import json
import random
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pytest

from paytungan.accounts.tokens import token_create
from paytungan.bills.models import Bill, BillPayer, BillShare
from paytungan.common.testing import make_user, run_together
from paytungan.groups.models import Group, Member
from paytungan.groups.testing import make_group
from paytungan.ledger.settle import pairwise_debts
from paytungan.money import parse_amount
from paytungan.payments.models import Payment
from paytungan.payments.testing import balance_oracle
from paytungan.settling import pairwise

pytestmark = pytest.mark.django_db(transaction=True)

OK = {200, 201, 204, 409, "gone"}  # 409: a conflict the API reports (stale version etc.)
# Every 5xx answer of a test run, with what was asked: a failure says which request it was.
FAILED: list[tuple[str, str, Any, Any]] = []


class Http:
    """One writer's HTTP client: its own connection per request, its own token."""

    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token

    def __call__(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            headers = {"Authorization": f"Bearer {self.token}"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            kind = response.getheader("Content-Type", "")
            payload = json.loads(raw) if raw and kind.startswith("application/json") else raw
            return response.status, payload
        finally:
            conn.close()


def _run_together(workers: list[Callable[[], None]], *, timeout: float = 120) -> None:
    errors = [e for e in run_together(workers, timeout=timeout) if isinstance(e, BaseException)]
    assert not errors, errors


def _writers(count: int, server: Any) -> tuple[Group, list[Member], Member, list[Http]]:
    users = [make_user(name=f"Writer {i}") for i in range(count)]
    group, m = make_group(owner=users[0], users=users[1:], guests=("Guest",), simplify_debts=False)
    clients = [Http(server.url, token_create(user=u, name="load")[1]) for u in users]
    return group, [m[u] for u in users], m["Guest"], clients


def _mixed_workload(
    *, me: Member, others: list[Member], guest: Member, call: Http, gid: int, ops: int, seed: int
) -> Callable[[Counter[int | str]], None]:
    """Creates, edits, deletes and restores of this writer's bills; payments recorded to and by
    this writer, confirmed or rejected by their receivers, some deleted again; guests added and
    removed; the group's settings changed (each write takes the group lock)."""
    rng = random.Random(seed)
    everyone = [me, *others, guest]

    def work(statuses: Counter[int | str]) -> None:
        live: dict[int, int] = {}  # bill id -> version (only this writer edits its bills)
        deleted: list[int] = []
        recorded: list[int] = []

        def do(method: str, path: str, body: Any = None, *, gone_ok: bool = False) -> Any:
            status, payload = call(method, path, body)
            # A payment listed as pending may be deleted by its payer before its receiver's
            # confirm arrives: then 404 is the right answer, counted apart from the statuses.
            statuses["gone" if gone_ok and status == 404 else status] += 1
            if status >= 500:
                FAILED.append((method, path, body, payload))
            return payload if status in (200, 201) else None

        def bill_body(version: int | None = None) -> dict[str, Any]:
            people = rng.sample(everyone, rng.randint(2, min(5, len(everyone))))
            total = str(rng.randint(1000, 99999))
            body: dict[str, Any] = {
                "title": "Load",
                "payers": [{"member_id": rng.choice(everyone).pk, "amount": total}],
                "split": {"mode": "equal", "members": [{"member_id": p.pk} for p in people]},
                "total": total,
            }
            if version is not None:
                body["version"] = version
            return body

        for step in range(ops):
            op = rng.choice(
                [
                    *("create", "create", "edit", "delete", "restore"),
                    *("pay", "receive", "confirm", "reject", "guest", "settings"),
                ]
            )
            if op == "edit" and live:
                bid = rng.choice(sorted(live))
                out = do("PUT", f"/api/groups/{gid}/bills/{bid}", bill_body(live[bid]))
                if out is not None:
                    live[bid] = out["version"]
            elif op == "delete" and live:
                bid = rng.choice(sorted(live))
                if do("DELETE", f"/api/groups/{gid}/bills/{bid}") is not None:
                    del live[bid]
                    deleted.append(bid)
            elif op == "restore" and deleted:
                bid = deleted.pop()
                out = do("POST", f"/api/groups/{gid}/bills/{bid}/restore")
                if out is not None:
                    live[bid] = out["version"]
            elif op == "pay":
                # To another writer (pending until they confirm) or to the guest (confirmed).
                to = rng.choice([*others, guest])
                body = {"from_member_id": me.pk, "to_member_id": to.pk, "currency": "IDR"}
                out = do("POST", f"/api/groups/{gid}/payments", {**body, "amount": "500"})
                if out is not None:
                    recorded.append(out["id"])
            elif op == "receive":
                body = {"from_member_id": rng.choice(others).pk, "to_member_id": me.pk}
                do(
                    "POST",
                    f"/api/groups/{gid}/payments",
                    {**body, "amount": "300", "currency": "IDR"},
                )
            elif op == "guest":
                added = do("POST", f"/api/groups/{gid}/members", {"name": f"Temp {seed}-{step}"})
                if added is not None:
                    do("DELETE", f"/api/groups/{gid}/members/{added['id']}")
            elif op == "settings":
                change = rng.choice([{"name": f"Load {seed}"}, {"simplify_debts": False}])
                do("PATCH", f"/api/groups/{gid}", change)
            elif op in ("confirm", "reject"):
                pending = do("GET", f"/api/groups/{gid}/payments?status=pending")
                for p in (pending or {}).get("items", []):
                    if p["to_member_id"] == me.pk:
                        do("POST", f"/api/groups/{gid}/payments/{p['id']}/{op}", gone_ok=True)
                        break
                else:
                    if recorded:
                        do("DELETE", f"/api/groups/{gid}/payments/{recorded.pop()}")
            else:
                out = do("POST", f"/api/groups/{gid}/bills", bill_body())
                if out is not None:
                    live[out["id"]] = out["version"]

    return work


def _assert_money_consistent(group_id: int) -> None:
    stored = {m.pk: m.balance for m in Member.objects.filter(group_id=group_id)}
    assert sum(stored.values()) == 0
    assert stored == balance_oracle(group_id=group_id)
    kept = pairwise_kept(group_id)
    if kept is not None:
        assert kept == sorted(pairwise(pairwise_debts(group_id=group_id)))


def pairwise_kept(group_id: int) -> list[Any] | None:
    """The pairwise settle as served (from its maintained rows), when the app keeps them."""
    try:
        from paytungan.payments.testing import pairwise_settle_kept
    except ImportError:
        return None
    return sorted(pairwise_settle_kept(group_id=group_id))


@pytest.mark.parametrize(("writers", "ops"), [(8, 10), (16, 8)])
def test_mixed_writers_in_one_group_never_5xx_and_keep_money_exact(
    http_server: Any, writers: int, ops: int
) -> None:
    FAILED.clear()
    group, members, guest, clients = _writers(writers, http_server)
    statuses: list[Counter[int | str]] = [Counter() for _ in range(writers)]
    works = [
        _mixed_workload(
            me=me,
            others=[m for m in members if m != me],
            guest=guest,
            call=clients[i],
            gid=group.pk,
            ops=ops,
            seed=i,
        )
        for i, me in enumerate(members)
    ]
    _run_together([partial(w, s) for w, s in zip(works, statuses, strict=True)])
    seen = sum(statuses, Counter())
    print(f"{writers} writers: statuses {dict(sorted(seen.items(), key=str))}")  # noqa: T201 - the measured statuses, shown with -s
    assert set(seen) <= OK, (dict(seen), FAILED)
    assert seen[201] >= writers  # the workload really wrote
    _assert_money_consistent(group.pk)


def test_currency_change_racing_a_bill_create_never_mixes_currencies(http_server: Any) -> None:
    ayu, budi = make_user(name="Ayu"), make_user(name="Budi")
    call_ayu = Http(http_server.url, token_create(user=ayu, name="t")[1])
    call_budi = Http(http_server.url, token_create(user=budi, name="t")[1])
    statuses: Counter[int] = Counter()
    mixed = []
    for _ in range(50):
        group, m = make_group(owner=ayu, users=(budi,), currency="IDR")
        bill = {
            "title": "Sate",
            "payers": [{"member_id": m[budi].pk, "amount": "30000"}],
            "split": {
                "mode": "equal",
                "members": [{"member_id": m[ayu].pk}, {"member_id": m[budi].pk}],
            },
            "total": "30000",
        }

        def patch(gid: int = group.pk) -> None:
            statuses[call_ayu("PATCH", f"/api/groups/{gid}", {"currency": "USD"})[0]] += 1

        def create(gid: int = group.pk, body: dict[str, Any] = bill) -> None:
            statuses[call_budi("POST", f"/api/groups/{gid}/bills", body)[0]] += 1

        _run_together([patch, create])
        group.refresh_from_db()
        for row in Bill.objects.filter(group=group):
            expected = parse_amount("30000", group.currency)
            rows = list(BillPayer.objects.filter(bill=row).values_list("amount", flat=True))
            shares = sum(BillShare.objects.filter(bill=row).values_list("amount", flat=True))
            if (row.currency, row.total, rows, shares) != (
                group.currency,
                expected,
                [expected],
                expected,
            ):
                mixed.append((group.currency, row.currency, row.total))
        _assert_money_consistent(group.pk)
    print(f"currency race: statuses {dict(sorted(statuses.items()))}")  # noqa: T201 - the measured statuses, shown with -s
    assert not mixed, mixed
    assert set(statuses) <= OK, dict(statuses)


def test_currency_change_racing_a_payment_never_mixes_currencies(http_server: Any) -> None:
    # A payment names its currency; it must be the group's as it is when the payment commits:
    # either the payment first (the change is refused, 409) or the change first (the payment,
    # still in IDR, is refused, 422), never a USD group holding an IDR payment.
    ayu, budi = make_user(name="Ayu"), make_user(name="Budi")
    call_ayu = Http(http_server.url, token_create(user=ayu, name="t")[1])
    call_budi = Http(http_server.url, token_create(user=budi, name="t")[1])
    statuses: Counter[int] = Counter()
    for _ in range(50):
        group, m = make_group(owner=ayu, users=(budi,), currency="IDR")
        payment = {
            "from_member_id": m[budi].pk,
            "to_member_id": m[ayu].pk,
            "amount": "30000",
            "currency": "IDR",
        }

        def patch(gid: int = group.pk) -> None:
            statuses[call_ayu("PATCH", f"/api/groups/{gid}", {"currency": "USD"})[0]] += 1

        def pay(gid: int = group.pk, body: dict[str, Any] = payment) -> None:
            statuses[call_budi("POST", f"/api/groups/{gid}/payments", body)[0]] += 1

        _run_together([patch, pay])
        group.refresh_from_db()
        rows = list(Payment.objects.filter(group=group).values_list("currency", "amount"))
        assert rows in ([], [(group.currency, 30000)]), (group.currency, rows)
        assert rows or group.currency == "USD"  # the payment was refused only after the change
        _assert_money_consistent(group.pk)
    print(f"currency/payment race: statuses {dict(sorted(statuses.items()))}")  # noqa: T201 - the measured statuses, shown with -s
    assert set(statuses) <= {200, 201, 409, 422}, dict(statuses)
