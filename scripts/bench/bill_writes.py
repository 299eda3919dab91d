"""In-process timing of bill writes: N creates, edits, deletes and restores of a 4-member bill
through the full middleware stack (Django's test client), on the database of DATABASE_URL.

Not a load benchmark: one thread, no server. Run it on a throwaway database, for one checkout
or another (the tree whose backend/ is imported is the first argument):

    THROTTLE_ENABLED=0 scripts/with-postgres.sh .venv/bin/python scripts/bench/bill_writes.py .
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable

N = int(os.environ.get("BENCH_WRITES", "200"))


def main() -> None:
    sys.path.insert(0, os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "backend"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from paytungan.bills.testing import bills_url, equal_bill
    from paytungan.common.testing import ApiClient, make_user
    from paytungan.groups.testing import make_group

    logging.disable(logging.CRITICAL)
    owner, budi = make_user(name="A"), make_user(name="B")
    group, m = make_group(owner=owner, users=(budi,), guests=("C", "D"))
    members = [m[owner], m[budi], m["C"], m["D"]]
    client = ApiClient().login(owner)
    client.csrf()
    body = equal_bill(payer=members[0], members=members, total="100000")
    edit = equal_bill(payer=members[1], members=members[:3], total="90000", version=1)
    ids: list[int] = []

    def create(_: int) -> None:
        response = client.post(bills_url(group), body)
        assert response.status == 201, response
        ids.append(response.json["id"])

    def change(i: int) -> None:
        assert client.put(bills_url(group, ids[i]), edit).status == 200

    def delete(i: int) -> None:
        assert client.delete(bills_url(group, ids[i])).status == 200

    def restore(i: int) -> None:
        assert client.post(bills_url(group, ids[i], "/restore")).status == 200

    ops: list[tuple[str, Callable[[int], None]]] = [
        ("create", create),
        ("edit", change),
        ("delete", delete),
        ("restore", restore),
    ]
    for name, op in ops:
        times = []
        for i in range(N):
            start = time.perf_counter()
            op(i)
            times.append((time.perf_counter() - start) * 1000)
        p95 = sorted(times)[int(N * 0.95)]
        print(f"{name}: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms (n={N})")


if __name__ == "__main__":
    main()
