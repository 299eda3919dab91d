from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group


def _export(client: Any, group: Any, fmt: str | None = None) -> Any:
    query = f"?format={fmt}" if fmt else ""
    return client.client.get(f"/api/groups/{group.pk}/export{query}")


def _itemized(m: dict[Any, Member], ayu: User, budi: User) -> dict[str, Any]:
    return {
        "title": "Sate Khas Senayan",
        "date": "2026-11-20",
        "category": "food",
        "payers": [{"member_id": m[ayu].pk, "amount": "190575"}],
        "split": {
            "mode": "itemized",
            "items": [
                {
                    "name": "Sate ayam",
                    "quantity": 2,
                    "unit_price": "35000",
                    "member_ids": [m[ayu].pk],
                },
                {
                    "name": "Es teh",
                    "quantity": 4,
                    "unit_price": "10000",
                    "member_ids": [m[ayu].pk, m[budi].pk, m["Citra"].pk],
                },
                {
                    "name": "Gurame",
                    "quantity": 1,
                    "unit_price": "55000",
                    "member_ids": [m[budi].pk],
                },
            ],
            "charges": {"service_percent": "5", "tax_percent": "10"},
        },
    }


@pytest.fixture
def busy(user: User, budi: User, make_client: Any) -> tuple[Any, dict[Any, Member], Any]:
    """A group with an itemized bill, an equal split, a foreign-currency bill, a deleted bill and
    a confirmed payment, all made through the API."""
    group, m = make_group(owner=user, name="Bali trip", users=(budi,), guests=("Citra",))
    client = make_client(user)
    r = client.post(bills_url(group), _itemized(m, user, budi))
    assert r.status == 201, r
    r = client.post(
        bills_url(group),
        equal_bill(
            payer=m[budi], members=[m[user], m[budi], m["Citra"]], total="90000", title="Bensin"
        )
        | {"date": "2026-11-21", "category": "transport"},
    )
    assert r.status == 201, r
    r = client.post(
        bills_url(group),
        equal_bill(payer=m[user], members=[m[user], m["Citra"]], total="20.00", title="=Surf")
        | {"date": "2026-11-22", "currency": "USD", "exchange_rate": "16000"},
    )
    assert r.status == 201, r
    gone = client.post(bills_url(group), equal_bill(payer=m[user], members=[m[budi]], total="5"))
    assert client.delete(bills_url(group, gone.json["id"])).status == 200
    r = client.post(
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": m[budi].pk,
            "to_member_id": m[user].pk,
            "amount": "10000",
            "currency": "IDR",
        },
    )
    assert r.status == 201, r
    return group, m, client


def test_json_export_is_an_attachment_with_every_part_of_the_group(user: User, busy: Any) -> None:
    group, m, client = busy
    r = _export(client, group)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    assert r["Content-Disposition"].startswith('attachment; filename="paytungan-bali-trip-')
    data = json.loads(r.content)
    for key in ("group", "members", "bills", "payments", "balances", "settle"):
        assert key in data
    assert data["group"]["name"] == "Bali trip"
    assert data["group"]["currency"] == "IDR"
    assert [x["name"] for x in data["members"]] == ["Ayu", "Budi", "Citra"]
    assert [b["title"] for b in data["bills"]] == ["Sate Khas Senayan", "Bensin", "=Surf"]
    sate, _, surf = data["bills"]
    assert sate["total"] == "190575"
    assert sum(int(s["amount"]) for s in sate["shares"]) == 190575
    assert sate["payers"] == [
        {"member_id": m[user].pk, "amount": "190575", "original_amount": "190575"}
    ]
    breakdowns = [s["breakdown"] for s in sate["shares"]]
    assert all(set(b) >= {"items", "service", "tax", "total"} for b in breakdowns)
    assert all(isinstance(v, str) for b in breakdowns for v in b.values())
    assert (surf["currency"], surf["original_total"], surf["total"]) == ("USD", "20.00", "320000")
    assert surf["exchange_rate"] == "16000"
    [payment] = data["payments"]
    assert (payment["amount"], payment["status"]) == ("10000", "confirmed")
    assert sum(int(b["balance"]) for b in data["balances"]) == 0
    balances = {b["member_id"]: int(b["balance"]) for b in data["balances"]}
    for t in data["settle"]:
        balances[t["from_member_id"]] += int(t["amount"])
        balances[t["to_member_id"]] -= int(t["amount"])
    assert set(balances.values()) == {0}


def _csv_rows(response: Any) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_rows_add_up_to_the_balance_row(user: User, budi: User, busy: Any) -> None:
    group, m, client = busy
    r = _export(client, group, "csv")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"].startswith("attachment; filename=")
    assert r["Content-Disposition"].endswith('.csv"')
    header, *rows, balance = _csv_rows(r)
    bills = [row for row in rows if row[2] != "payment"]
    payments = [row for row in rows if row[2] == "payment"]
    assert header == [
        "Date",
        "Title",
        "Category",
        "Currency",
        "Original total",
        "Total (IDR)",
        "Paid by",
        "Ayu",
        "Budi",
        "Citra",
    ]
    assert [b[1] for b in bills] == ["Sate Khas Senayan", "Bensin", "'=Surf"]
    assert bills[0][:7] == [
        "2026-11-20",
        "Sate Khas Senayan",
        "food",
        "IDR",
        "190575",
        "190575",
        "Ayu 190575",
    ]
    assert bills[2][3:6] == ["USD", "20.00", "320000"]
    # A bill's row: what it did to each balance (paid - share); Ayu paid it all.
    listed = client.get(bills_url(group)).json["items"]
    bill_id = next(b["id"] for b in listed if b["title"] == "Sate Khas Senayan")
    detail = client.get(bills_url(group, bill_id)).json
    share = {s["member_id"]: int(s["amount"]) for s in detail["shares"]}
    assert int(bills[0][header.index("Ayu")]) == 190575 - share[m[user].pk]
    assert int(bills[0][header.index("Budi")]) == -share[m[budi].pk]
    # The confirmed payment, Budi -> Ayu 10000: +amount for the sender, -amount for the receiver.
    assert len(payments) == 1
    assert payments[0][1] == "Budi → Ayu"
    assert payments[0][3:7] == ["IDR", "10000", "10000", "Budi 10000"]
    assert payments[0][header.index("Budi")] == "10000"
    assert payments[0][header.index("Ayu")] == "-10000"
    assert payments[0][header.index("Citra")] == "0"
    for row in rows:
        assert sum(int(x) for x in row[7:]) == 0
    api_balances = client.get(f"/api/groups/{group.pk}/balances").json["items"]
    assert balance[1] == "Balance"
    assert balance[7:] == [b["balance"] for b in api_balances]
    for column in range(7, len(header)):
        assert sum(int(row[column]) for row in rows) == int(balance[column])


def test_csv_export_keeps_names_unicode_and_columns_unique(user: User, make_client: Any) -> None:
    group, _m = make_group(owner=user, name="Kos", guests=("Dédé", "Dédé", "@evil"))
    r = _export(make_client(user), group, "csv")
    header = _csv_rows(r)[0]
    assert header[7:] == ["Ayu", "Dédé", "Dédé (2)", "'@evil"]


def test_an_unknown_export_format_is_422(user: User, make_client: Any) -> None:
    group, _ = make_group(owner=user)
    r = make_client(user).get(f"/api/groups/{group.pk}/export?format=xml")
    assert r.status == 422
    assert "format" in r.json["error"]["details"]["fields"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_takes_the_same_queries_for_1_or_20_bills(
    user: User, make_client: Any, queries: Any, fmt: str
) -> None:
    group, m = make_group(owner=user, guests=("Budi",))
    client = make_client(user)

    def add(n: int) -> None:
        for i in range(n):
            body = equal_bill(payer=m[user], members=[m[user], m["Budi"]], total=str(1000 + i))
            assert client.post(bills_url(group), body).status == 201

    add(1)
    _export(client, group, fmt)
    with queries() as one:
        assert _export(client, group, fmt).status_code == 200
    add(19)
    with queries() as many:
        assert _export(client, group, fmt).status_code == 200
    assert one.count == many.count


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_is_never_cached(user: User, make_client: Any, fmt: str) -> None:
    group, _ = make_group(owner=user, guests=("Budi",))
    r = _export(make_client(user), group, fmt)
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-store"
