from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.bills.models import Bill
from paytungan.common.testing import make_user
from paytungan.groups.models import Activity, Group, Member
from paytungan.groups.testing import group_queries, make_group
from paytungan.ops.models import IdempotencyKey


def _set_balance(member: Member, paid: int, owed: int) -> None:
    Member.objects.filter(pk=member.pk).update(paid=paid, owed=owed)


# --- create ------------------------------------------------------------------------------------


def test_create_group_makes_the_creator_its_first_member(user_client: Any, user: User) -> None:
    r = user_client.post("/api/groups", {"name": "  Bali  trip ", "currency": "usd"})
    assert r.status == 201, r
    body = r.json
    assert body["name"] == "Bali trip"
    assert body["currency"] == "USD"
    assert body["simplify_debts"] is True
    assert body["member_count"] == 1
    assert body["my_balance"] == "0.00"
    assert body["is_creator"] is True
    assert body["can_delete"] is True
    me = Member.objects.get(pk=body["my_member_id"])
    assert (me.group_id, me.user, me.name) == (body["id"], user, "Ayu")
    assert Activity.objects.get(group_id=body["id"]).verb == "group.created"


def test_create_group_defaults_to_the_users_currency(make_client: Any) -> None:
    client = make_client(make_user(default_currency="JPY"))
    r = client.post("/api/groups", {"name": "Tokyo", "simplify_debts": False})
    assert r.status == 201
    assert (r.json["currency"], r.json["simplify_debts"], r.json["my_balance"]) == (
        "JPY",
        False,
        "0",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Trip", "currency": "XXX"}, "currency"),
        ({"name": "Trip", "currency": "US"}, "currency"),
        ({"name": "   "}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({}, "name"),
        ({"name": "Trip", "colour": "red"}, "colour"),
        ({"name": "Trip", "simplify_debts": "maybe"}, "simplify_debts"),
    ],
)
def test_create_group_rejects_invalid_input_with_field_errors(
    user_client: Any, body: dict[str, Any], field: str
) -> None:
    r = user_client.post("/api/groups", body)
    assert r.status == 422, r
    assert r.json["error"]["code"] in {"invalid", "unknown_currency"}
    assert field in r.json["error"]["details"]["fields"]
    assert not Group.objects.exists()


def test_create_group_with_unparseable_body_is_400(user_client: Any) -> None:
    assert user_client.post("/api/groups", raw="{nope").status == 400


def test_groups_need_authentication(api: Any) -> None:
    assert api.get("/api/groups").status == 401


def test_create_group_retry_with_same_idempotency_key_returns_first_response(
    user_client: Any,
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = user_client.post("/api/groups", {"name": "Trip"}, headers=headers)
    again = user_client.post("/api/groups", {"name": "Trip"}, headers=headers)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert Group.objects.count() == 1
    assert Member.objects.count() == 1
    assert Activity.objects.count() == 1


def test_create_group_same_idempotency_key_other_body_is_422(user_client: Any) -> None:
    headers = {"Idempotency-Key": "k-2"}
    assert user_client.post("/api/groups", {"name": "Trip"}, headers=headers).status == 201
    r = user_client.post("/api/groups", {"name": "Other"}, headers=headers)
    assert r.status == 422
    assert r.json["error"]["code"] == "idempotency_key_reused"
    assert Group.objects.count() == 1


def test_create_group_invalid_body_with_idempotency_key_stores_nothing(user_client: Any) -> None:
    headers = {"Idempotency-Key": "k-3"}
    r = user_client.post("/api/groups", {"name": "T", "currency": "ZZZ"}, headers=headers)
    assert r.status == 422
    assert not IdempotencyKey.objects.exists()
    assert user_client.post("/api/groups", {"name": "T"}, headers=headers).status == 201


# --- list --------------------------------------------------------------------------------------


def test_list_groups_shows_only_mine_newest_first_with_my_balance_and_member_count(
    user_client: Any, user: User, budi: User
) -> None:
    _older, m1 = make_group(owner=user, name="Older", guests=("G1", "G2"))
    _newer, m2 = make_group(owner=budi, name="Newer", users=(user,), currency="USD")
    make_group(owner=budi, name="Not mine")
    _left, m3 = make_group(owner=budi, name="Left", users=(user,))
    Member.objects.filter(pk=m3[user].pk).update(is_active=False)
    _set_balance(m1[user], 150_000, 50_000)
    _set_balance(m2[user], 0, 1250)
    Member.objects.filter(pk=m1["G2"].pk).update(is_active=False)

    r = user_client.get("/api/groups")
    assert r.status == 200
    assert r.json["next_cursor"] is None
    items = r.json["items"]
    assert [g["name"] for g in items] == ["Newer", "Older"]
    assert items[0]["my_balance"] == "-12.50"
    assert items[0]["member_count"] == 2
    assert items[0]["is_creator"] is False
    assert items[0]["can_delete"] is False
    assert items[1]["my_balance"] == "100000"
    assert items[1]["member_count"] == 2  # the removed guest isn't counted
    assert items[1]["my_member_id"] == m1[user].pk
    assert items[1]["is_creator"] is True


def test_list_groups_is_cursor_paginated(user_client: Any, user: User) -> None:
    ids = [make_group(owner=user, name=f"G{i}")[0].pk for i in range(5)]
    page1 = user_client.get("/api/groups?limit=2").json
    page2 = user_client.get(f"/api/groups?limit=2&cursor={page1['next_cursor']}").json
    page3 = user_client.get(f"/api/groups?limit=2&cursor={page2['next_cursor']}").json
    seen = [g["id"] for p in (page1, page2, page3) for g in p["items"]]
    assert seen == sorted(ids, reverse=True)
    assert page3["next_cursor"] is None


@pytest.mark.parametrize("query", ["cursor=garbage!", "limit=0", "limit=201", "limit=x"])
def test_list_groups_rejects_bad_cursor_or_limit(user_client: Any, query: str) -> None:
    r = user_client.get(f"/api/groups?{query}")
    assert r.status == 422
    assert r.json["error"]["details"]["fields"]


def test_list_groups_takes_one_query_whatever_the_number_of_groups(
    user_client: Any, user: User, queries: Any
) -> None:
    def count() -> int:
        with queries() as q:
            assert user_client.get("/api/groups").status == 200
        return q.count

    make_group(owner=user, guests=("A",))
    baseline = count()
    for i in range(6):
        make_group(owner=user, name=f"G{i}", guests=("A", "B", "C"))
    assert count() == baseline
    # The session/user lookups are the rest; the list itself is one query.
    with queries() as q:
        user_client.get("/api/groups")
    assert group_queries(q) == 1


# --- read --------------------------------------------------------------------------------------


def test_get_group_returns_it_to_a_member(client_for: Any, trip: Any, budi: User) -> None:
    group, m = trip
    r = client_for(budi).get(f"/api/groups/{group.pk}")
    assert r.status == 200
    assert r.json["id"] == group.pk
    assert r.json["member_count"] == 3
    assert r.json["my_member_id"] == m[budi].pk
    assert r.json["is_creator"] is False
    assert r.json["can_delete"] is False


def test_get_group_is_404_for_a_non_member_and_for_no_such_group(
    outsider_client: Any, user_client: Any, trip: Any
) -> None:
    group, _ = trip
    r = outsider_client.get(f"/api/groups/{group.pk}")
    assert r.status == 404
    assert r.json["error"]["code"] == "group_not_found"
    assert user_client.get("/api/groups/999999").status == 404


def test_get_group_is_404_after_leaving(client_for: Any, trip: Any, budi: User) -> None:
    group, m = trip
    Member.objects.filter(pk=m[budi].pk).update(is_active=False)
    assert client_for(budi).get(f"/api/groups/{group.pk}").status == 404


def test_get_group_query_count_is_constant_in_members(
    user_client: Any, user: User, queries: Any
) -> None:
    group, _ = make_group(owner=user, guests=("A",))
    with queries() as q1:
        user_client.get(f"/api/groups/{group.pk}")
    for i in range(10):
        Member.objects.create(group=group, name=f"X{i}")
    with queries() as q2:
        assert user_client.get(f"/api/groups/{group.pk}").json["member_count"] == 12
    assert q1.count == q2.count
    assert group_queries(q2) == 2  # the access check, then the counts


# --- update ------------------------------------------------------------------------------------


def test_patch_group_changes_settings_and_records_the_diff(user_client: Any, trip: Any) -> None:
    group, m = trip
    r = user_client.patch(
        f"/api/groups/{group.pk}", {"name": "Bali", "currency": "EUR", "simplify_debts": False}
    )
    assert r.status == 200, r
    assert (r.json["name"], r.json["currency"], r.json["simplify_debts"]) == ("Bali", "EUR", False)
    assert r.json["my_balance"] == "0.00"
    activity = Activity.objects.get(verb="group.updated")
    assert activity.changes == {
        "currency": {"from": "IDR", "to": "EUR"},
        "name": {"from": "Trip", "to": "Bali"},
        "simplify_debts": {"from": True, "to": False},
    }
    assert activity.actor_member_id == m[group.created_by].pk


def test_patch_group_without_changes_records_nothing(user_client: Any, trip: Any) -> None:
    group, _ = trip
    assert user_client.patch(f"/api/groups/{group.pk}", {"name": "Trip"}).status == 200
    assert user_client.patch(f"/api/groups/{group.pk}", {}).status == 200
    assert not Activity.objects.filter(verb="group.updated").exists()


def test_any_member_may_change_the_settings(client_for: Any, trip: Any, budi: User) -> None:
    group, _ = trip
    r = client_for(budi).patch(f"/api/groups/{group.pk}", {"simplify_debts": False})
    assert r.status == 200
    assert r.json["simplify_debts"] is False


def test_patch_group_currency_is_409_once_the_group_has_bills(
    user_client: Any, trip: Any, user: User
) -> None:
    group, _ = trip
    Bill.objects.create(
        group=group,
        title="Dinner",
        date="2026-01-01",
        currency="IDR",
        original_total=100,
        total=100,
        split_mode="equal",
        tie_key="x",
        created_by=user,
    )
    r = user_client.patch(f"/api/groups/{group.pk}", {"currency": "USD"})
    assert r.status == 409
    assert r.json["error"]["code"] == "currency_locked"
    assert "bills or payments" in r.json["error"]["message"]
    # The same currency, or other settings, are still fine.
    assert (
        user_client.patch(f"/api/groups/{group.pk}", {"currency": "idr", "name": "X"}).status == 200
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "ABC"}, "currency"),
        ({"name": " "}, "name"),
        ({"name": None, "bogus": 1}, "bogus"),
        ({"simplify_debts": "x"}, "simplify_debts"),
    ],
)
def test_patch_group_rejects_invalid_input(
    user_client: Any, trip: Any, body: dict[str, Any], field: str
) -> None:
    group, _ = trip
    r = user_client.patch(f"/api/groups/{group.pk}", body)
    assert r.status == 422
    assert field in r.json["error"]["details"]["fields"]


def test_patch_group_by_non_member_is_404_even_with_an_invalid_body(
    outsider_client: Any, trip: Any
) -> None:
    group, _ = trip
    assert outsider_client.patch(f"/api/groups/{group.pk}", {"currency": 5}).status == 404
    assert outsider_client.patch(f"/api/groups/{group.pk}", {"name": "Mine"}).status == 404
    group.refresh_from_db()
    assert group.name == "Trip"


# --- delete ------------------------------------------------------------------------------------


def test_creator_deletes_a_settled_group(user_client: Any, trip: Any) -> None:
    group, _ = trip
    assert user_client.delete(f"/api/groups/{group.pk}").status == 204
    assert not Group.objects.filter(pk=group.pk).exists()
    assert not Member.objects.filter(group_id=group.pk).exists()


def test_delete_group_by_another_member_is_403(client_for: Any, trip: Any, budi: User) -> None:
    group, _ = trip
    r = client_for(budi).delete(f"/api/groups/{group.pk}")
    assert r.status == 403
    assert Group.objects.filter(pk=group.pk).exists()


def test_delete_group_with_a_non_zero_balance_is_409(user_client: Any, trip: Any) -> None:
    group, m = trip
    _set_balance(m["Citra"], 0, 500)
    _set_balance(m[group.created_by], 500, 0)
    r = user_client.delete(f"/api/groups/{group.pk}")
    assert r.status == 409
    assert r.json["error"]["code"] == "group_not_settled"
    assert r.json["error"]["details"]["members"] == ["Ayu", "Citra"]
    assert Group.objects.filter(pk=group.pk).exists()


def test_delete_group_is_404_for_a_non_member(outsider_client: Any, trip: Any) -> None:
    group, _ = trip
    assert outsider_client.delete(f"/api/groups/{group.pk}").status == 404


def test_once_the_creator_is_gone_any_member_may_delete(
    client_for: Any, trip: Any, user: User, budi: User
) -> None:
    group, m = trip
    Member.objects.filter(pk=m[user].pk).update(is_active=False)
    detail = client_for(budi).get(f"/api/groups/{group.pk}").json
    assert detail["can_delete"] is True
    assert client_for(budi).get("/api/groups").json["items"][0]["can_delete"] is True
    assert client_for(budi).delete(f"/api/groups/{group.pk}").status == 204


def test_deleting_a_group_with_bills_and_payments_removes_them(
    user_client: Any, trip: Any, user: User
) -> None:
    from paytungan.bills.models import BillDebt, BillPayer, BillShare
    from paytungan.payments.models import Payment

    group, m = trip
    bill = Bill.objects.create(
        group=group,
        title="Dinner",
        date="2026-01-01",
        currency="IDR",
        original_total=100,
        total=100,
        split_mode="equal",
        tie_key="x",
        deleted_at="2026-01-02T00:00:00Z",  # a deleted bill: its rows still name members
    )
    BillPayer.objects.create(bill=bill, member=m[user], amount=100, original_amount=100)
    BillShare.objects.create(bill=bill, member=m["Citra"], amount=100, original_amount=100)
    BillDebt.objects.create(bill=bill, debtor=m["Citra"], creditor=m[user], amount=100)
    Payment.objects.create(
        group=group,
        from_member=m["Citra"],
        to_member=m[user],
        amount=100,
        currency="IDR",
        status="rejected",
    )
    assert user_client.delete(f"/api/groups/{group.pk}").status == 204
    assert not Bill.objects.exists()
    assert not Payment.objects.exists()
    assert not BillShare.objects.exists()
    assert not Member.objects.exists()
