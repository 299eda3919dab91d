from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from paytungan.accounts.models import User
from paytungan.groups.balances import apply_balance_deltas
from paytungan.groups.models import Member
from paytungan.groups.testing import make_group
from paytungan.ledger import settle as ledger_settle
from paytungan.ledger.settle import rebuild_pair_debts
from paytungan.money import parse_amount
from paytungan.payments.testing import balance_oracle
from paytungan.payments.tests.factories import add_bill, balances_of


def _balances(client: Any, group: Any) -> dict[str, Any]:
    r = client.get(f"/api/groups/{group.pk}/balances")
    assert r.status == 200, r
    return r.json


def _settle(client: Any, group: Any) -> list[dict[str, Any]]:
    r = client.get(f"/api/groups/{group.pk}/settle")
    assert r.status == 200, r
    return r.json["items"]


def _apply(balances: dict[int, int], transfers: list[dict[str, Any]], currency: str) -> None:
    for t in transfers:
        amount = parse_amount(t["amount"], currency, allow_zero=False)
        balances[t["from_member_id"]] += amount
        balances[t["to_member_id"]] -= amount


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


# --- balances ------------------------------------------------------------------------------------


def test_a_new_group_has_zero_balances(user: User, trip: Any, client_for: Any) -> None:
    group, m = trip
    body = _balances(client_for(user), group)
    assert body["currency"] == "IDR"
    assert [i["member_id"] for i in body["items"]] == sorted(x.pk for x in m.values())
    assert {(i["paid"], i["owed"], i["balance"]) for i in body["items"]} == {("0", "0", "0")}
    assert {i["name"] for i in body["items"]} == {"Ayu", "Budi", "Citra", "Dodi"}


def test_balances_follow_bills_and_confirmed_payments_and_sum_to_zero(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    add_bill(
        group, paid={m[user]: 90000}, shares={m[user]: 30000, m[budi]: 30000, m["Dodi"]: 30000}
    )
    add_bill(group, paid={m[citra]: 10001}, shares={m[user]: 5001, m[citra]: 5000})
    client_for(citra).post(
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": m[budi].pk,
            "to_member_id": m[citra].pk,
            "amount": "7000",
            "currency": "IDR",
        },
    )
    client_for(user).post(  # pending: moves nothing
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": m[budi].pk,
            "to_member_id": m[citra].pk,
            "amount": "9",
            "currency": "IDR",
        },
    )
    items = {i["member_id"]: i for i in _balances(client_for(budi), group)["items"]}
    assert items[m[user].pk] == {
        "member_id": m[user].pk,
        "name": "Ayu",
        "paid": "90000",
        "owed": "35001",
        "balance": "54999",
    }
    assert items[m[budi].pk]["balance"] == "-23000"
    assert items[m[citra].pk]["balance"] == "-1999"
    assert items[m["Dodi"].pk]["balance"] == "-30000"
    assert sum(int(i["balance"]) for i in items.values()) == 0
    assert {k: int(v["balance"]) for k, v in items.items()} == balance_oracle(group_id=group.pk)


def test_balances_are_money_strings_in_the_group_currency(user: User, client_for: Any) -> None:
    group, m = make_group(owner=user, currency="USD", guests=("Budi",))
    add_bill(group, paid={m[user]: 1250}, shares={m[user]: 625, m["Budi"]: 625})
    items = _balances(client_for(user), group)["items"]
    assert [i["balance"] for i in items] == ["6.25", "-6.25"]
    assert items[0]["paid"] == "12.50"


def test_members_who_left_are_not_listed(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    Member.objects.filter(pk=m["Dodi"].pk).update(is_active=False)
    ids = [i["member_id"] for i in _balances(client_for(user), group)["items"]]
    assert m["Dodi"].pk not in ids
    assert len(ids) == 3


def test_balances_take_the_same_queries_for_1_or_30_bills(
    user: User, budi: User, trip: Any, client_for: Any, queries: Any, overhead: Any
) -> None:
    group, m = trip
    client = client_for(user)
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    base = overhead(client)
    with queries() as one:
        _balances(client, group)
    for i in range(29):
        add_bill(group, paid={m[budi]: 100 + i}, shares={m[user]: 50, m["Dodi"]: 50 + i})
    with queries() as many:
        _balances(client, group)
    # The members' running totals (the access check rides on the authentication's query).
    assert one.count == many.count == base + 1


# --- settle-up -----------------------------------------------------------------------------------


def test_settle_suggests_the_fewest_transfers_which_zero_every_balance(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    add_bill(group, paid={m[user]: 60000}, shares={m[budi]: 30000, m[citra]: 30000})
    add_bill(group, paid={m[budi]: 20000}, shares={m["Dodi"]: 20000})
    transfers = _settle(client_for(budi), group)
    assert len(transfers) == 3
    assert {t["currency"] for t in transfers} == {"IDR"}
    balances = balances_of(group)
    _apply(balances, transfers, "IDR")
    assert set(balances.values()) == {0}


def test_settle_finds_zero_sum_pairs_instead_of_a_chain(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    # Ayu +50, Budi -50, Citra +30, Dodi -30: two transfers, not three.
    add_bill(group, paid={m[user]: 50}, shares={m[budi]: 50})
    add_bill(group, paid={m[citra]: 30}, shares={m["Dodi"]: 30})
    transfers = _settle(client_for(user), group)
    assert {(t["from_member_id"], t["to_member_id"], t["amount"]) for t in transfers} == {
        (m[budi].pk, m[user].pk, "50"),
        (m["Dodi"].pk, m[citra].pk, "30"),
    }


def test_a_settled_group_has_nothing_to_settle(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    assert _settle(client_for(user), group) == []
    add_bill(group, paid={m[user]: 5000}, shares={m[budi]: 5000})
    [transfer] = _settle(client_for(user), group)
    r = client_for(user).post(
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": transfer["from_member_id"],
            "to_member_id": transfer["to_member_id"],
            "amount": transfer["amount"],
            "currency": transfer["currency"],
        },
    )
    assert r.json["status"] == "confirmed"
    assert r.json["is_overpayment"] is False
    assert _settle(client_for(user), group) == []
    assert set(balances_of(group).values()) == {0}


def test_pairwise_view_keeps_each_pairs_debts_when_not_simplifying(
    user: User, budi: User, citra: User, client_for: Any
) -> None:
    group, m = make_group(owner=user, users=(budi, citra), simplify_debts=False)
    # Budi owes Ayu 100; Citra owes Budi 100. Simplified: Citra -> Ayu. Pairwise: two transfers.
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    add_bill(group, paid={m[budi]: 100}, shares={m[citra]: 100})
    # Ayu owes Budi 30 on another bill: netted against Budi's 100.
    add_bill(group, paid={m[budi]: 30}, shares={m[user]: 30})
    transfers = _settle(client_for(user), group)
    assert [(t["from_member_id"], t["to_member_id"], t["amount"]) for t in transfers] == sorted(
        [(m[budi].pk, m[user].pk, "70"), (m[citra].pk, m[budi].pk, "100")]
    )
    balances = balances_of(group)
    _apply(balances, transfers, "IDR")
    assert set(balances.values()) == {0}


def test_pairwise_view_counts_confirmed_payments_against_the_debt(
    user: User, budi: User, citra: User, client_for: Any
) -> None:
    group, m = make_group(owner=user, users=(budi, citra), simplify_debts=False)
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    pay = {"from_member_id": m[budi].pk, "to_member_id": m[user].pk, "currency": "IDR"}
    client_for(user).post(f"/api/groups/{group.pk}/payments", {**pay, "amount": "40"})
    client_for(citra).post(f"/api/groups/{group.pk}/payments", {**pay, "amount": "5"})  # pending
    transfers = _settle(client_for(user), group)
    assert [(t["from_member_id"], t["to_member_id"], t["amount"]) for t in transfers] == [
        (m[budi].pk, m[user].pk, "60")
    ]
    # Paying more than owed turns the debt around.
    client_for(user).post(f"/api/groups/{group.pk}/payments", {**pay, "amount": "70"})
    [transfer] = _settle(client_for(user), group)
    assert (transfer["from_member_id"], transfer["to_member_id"], transfer["amount"]) == (
        m[user].pk,
        m[budi].pk,
        "10",
    )


def test_deleted_bills_are_left_out_of_the_pairwise_view(
    user: User, budi: User, client_for: Any
) -> None:
    group, m = make_group(owner=user, users=(budi,), simplify_debts=False)
    bill = add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    bill.deleted_at = bill.created_at
    bill.save()
    # As a delete does: the balances and the kept pair rows follow.
    with transaction.atomic():
        apply_balance_deltas(group_id=group.pk, paid={m[user].pk: -100}, owed={m[budi].pk: -100})
    rebuild_pair_debts(group_id=group.pk)
    assert _settle(client_for(user), group) == []


def test_transfers_carry_payout_details_only_when_the_receiver_shares_them(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    User.objects.filter(pk=user.pk).update(
        payout_method="bank",
        payout_account_name="Ayu Lestari",
        payout_account_number="1234567890",
        payout_share_with_groups=True,
    )
    User.objects.filter(pk=budi.pk).update(
        payout_method="ewallet", payout_account_number="0812", payout_share_with_groups=False
    )
    add_bill(group, paid={m[user]: 100}, shares={m[citra]: 100})
    add_bill(group, paid={m[budi]: 100}, shares={m[citra]: 100})
    add_bill(group, paid={m["Dodi"]: 100}, shares={m[citra]: 100})
    payouts = {t["to_member_id"]: t["payout"] for t in _settle(client_for(citra), group)}
    assert payouts == {
        m[user].pk: {
            "method": "bank",
            "account_name": "Ayu Lestari",
            "account_number": "1234567890",
        },
        m[budi].pk: None,
        m["Dodi"].pk: None,
    }


def test_settle_is_cached_by_the_balances(
    user: User, budi: User, trip: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, m = trip
    calls: list[dict[int, int]] = []
    real = ledger_settle.settle

    def counting(balances: dict[int, int]) -> Any:
        calls.append(dict(balances))
        return real(balances)

    monkeypatch.setattr(ledger_settle, "settle", counting)
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    first = _settle(client_for(user), group)
    assert _settle(client_for(budi), group) == first
    assert len(calls) == 1
    add_bill(group, paid={m[user]: 100}, shares={m["Dodi"]: 100})
    second = _settle(client_for(user), group)
    assert len(calls) == 2
    assert second != first


def test_the_cached_result_carries_current_payout_details(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    assert _settle(client_for(budi), group)[0]["payout"] is None
    User.objects.filter(pk=user.pk).update(payout_method="bank", payout_share_with_groups=True)
    assert _settle(client_for(budi), group)[0]["payout"] is not None


@pytest.mark.parametrize("simplify", [True, False])
def test_settle_takes_the_same_queries_for_1_or_30_bills(
    user: User,
    budi: User,
    citra: User,
    client_for: Any,
    queries: Any,
    overhead: Any,
    simplify: bool,
) -> None:
    group, m = make_group(owner=user, users=(budi, citra), simplify_debts=simplify)
    client = client_for(user)
    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    base = overhead(client)
    with queries() as one:
        _settle(client, group)
    for i in range(29):
        add_bill(group, paid={m[budi]: 100 + i}, shares={m[user]: 50, m[citra]: 50 + i})
    with queries() as many:
        _settle(client, group)
    # The members (balances, payout details) and, pairwise, the debts (the access check rides
    # on the authentication's query).
    assert one.count == many.count == base + (1 if simplify else 2)


def test_settle_amounts_are_exact_money_strings(user: User, client_for: Any) -> None:
    group, m = make_group(owner=user, currency="USD", guests=("Budi", "Citra"))
    add_bill(group, paid={m[user]: 1000}, shares={m[user]: 334, m["Budi"]: 333, m["Citra"]: 333})
    transfers = _settle(client_for(user), group)
    assert sorted(t["amount"] for t in transfers) == ["3.33", "3.33"]
    assert sum(Decimal(t["amount"]) for t in transfers) == Decimal("6.66")
