from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.models import Activity, Member
from paytungan.groups.testing import group_queries, make_group


def _url(group: Any, suffix: str = "") -> str:
    return f"/api/groups/{group.pk}/members{suffix}"


def _set_balance(member: Member, paid: int, owed: int) -> None:
    Member.objects.filter(pk=member.pk).update(paid=paid, owed=owed)


# --- list --------------------------------------------------------------------------------------


def test_list_members_marks_me_and_guests_with_balances(
    user_client: Any, trip: Any, user: User, budi: User
) -> None:
    group, m = trip
    _set_balance(m[budi], 30_000, 10_000)
    _set_balance(m["Citra"], 0, 20_000)
    r = user_client.get(_url(group))
    assert r.status == 200
    assert r.json == {
        "items": [
            {
                "id": m[user].pk,
                "name": "Ayu",
                "user_id": user.pk,
                "is_me": True,
                "is_active": True,
                "balance": "0",
            },
            {
                "id": m[budi].pk,
                "name": "Budi",
                "user_id": budi.pk,
                "is_me": False,
                "is_active": True,
                "balance": "20000",
            },
            {
                "id": m["Citra"].pk,
                "name": "Citra",
                "user_id": None,
                "is_me": False,
                "is_active": True,
                "balance": "-20000",
            },
        ]
    }


def test_list_members_hides_removed_members_unless_asked(user_client: Any, trip: Any) -> None:
    group, m = trip
    Member.objects.filter(pk=m["Citra"].pk).update(is_active=False)
    assert [x["name"] for x in user_client.get(_url(group)).json["items"]] == ["Ayu", "Budi"]
    items = user_client.get(_url(group) + "?include_inactive=true").json["items"]
    assert [(x["name"], x["is_active"]) for x in items] == [
        ("Ayu", True),
        ("Budi", True),
        ("Citra", False),
    ]


def test_list_members_is_404_for_a_non_member(outsider_client: Any, trip: Any) -> None:
    group, _ = trip
    assert outsider_client.get(_url(group)).status == 404


def test_list_members_query_count_is_constant_in_members(
    user_client: Any, user: User, queries: Any
) -> None:
    group, _ = make_group(owner=user, guests=("A",))
    with queries() as q1:
        user_client.get(_url(group))
    for i in range(15):
        Member.objects.create(group=group, user=make_user(), name=f"U{i}")
    with queries() as q2:
        assert len(user_client.get(_url(group)).json["items"]) == 17
    assert q1.count == q2.count
    assert group_queries(q2) == 2  # the access check, then the members


# --- add ---------------------------------------------------------------------------------------


def test_add_guest_by_name(user_client: Any, trip: Any, user: User) -> None:
    group, m = trip
    r = user_client.post(_url(group), {"name": " Dewi "})
    assert r.status == 201, r
    assert r.json["name"] == "Dewi"
    assert r.json["user_id"] is None
    assert r.json["is_me"] is False
    assert r.json["balance"] == "0"
    activity = Activity.objects.get(verb="member.added")
    assert (activity.target_id, activity.actor_member_id) == (r.json["id"], m[user].pk)
    assert activity.summary == "Ayu added guest Dewi"


def test_add_user_by_email_or_username(user_client: Any, trip: Any) -> None:
    group, _ = trip
    dewi = make_user(name="Dewi", email="dewi@example.com")
    eka = make_user(name="Eka", username="eka_k")
    r1 = user_client.post(_url(group), {"email": " DEWI@example.com "})
    r2 = user_client.post(_url(group), {"username": "Eka_K"})
    assert (r1.status, r2.status) == (201, 201)
    assert (r1.json["user_id"], r1.json["name"]) == (dewi.pk, "Dewi")
    assert (r2.json["user_id"], r2.json["name"]) == (eka.pk, "Eka")
    assert Member.objects.filter(group=group, is_active=True).count() == 5


def test_added_user_sees_the_group(client_for: Any, user_client: Any, trip: Any) -> None:
    group, _ = trip
    dewi = make_user(name="Dewi")
    user_client.post(_url(group), {"email": dewi.email})
    assert [g["id"] for g in client_for(dewi).get("/api/groups").json["items"]] == [group.pk]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"email": "nobody@example.com"}, "email", "user_not_found"),
        ({"username": "nobody"}, "username", "user_not_found"),
        ({}, "name", "invalid"),
        ({"name": "   "}, "name", "invalid"),
        ({"name": "Dewi", "email": "x@example.com"}, "email", "invalid"),
        ({"name": "citra"}, "name", "name_taken"),
        ({"name": "x" * 101}, "name", "invalid"),
        ({"nickname": "x"}, "nickname", "invalid"),
    ],
)
def test_add_member_rejects_invalid_input(
    user_client: Any, trip: Any, body: dict[str, Any], field: str, code: str
) -> None:
    group, _ = trip
    r = user_client.post(_url(group), body)
    assert r.status == 422, r
    assert r.json["error"]["code"] == code
    assert field in r.json["error"]["details"]["fields"]
    assert Member.objects.filter(group=group).count() == 3


def test_add_existing_member_is_409(user_client: Any, trip: Any, budi: User) -> None:
    group, _ = trip
    r = user_client.post(_url(group), {"username": "budi"})
    assert r.status == 409
    assert r.json["error"]["code"] == "already_member"


def test_adding_a_removed_user_reactivates_the_same_membership(
    user_client: Any, trip: Any, budi: User
) -> None:
    group, m = trip
    assert user_client.delete(_url(group, f"/{m[budi].pk}")).status == 204
    r = user_client.post(_url(group), {"email": budi.email})
    assert r.status == 201
    assert r.json["id"] == m[budi].pk
    member = Member.objects.get(pk=m[budi].pk)
    assert member.is_active
    assert member.left_at is None


def test_add_member_by_non_member_is_404_even_with_an_invalid_body(
    outsider_client: Any, trip: Any
) -> None:
    group, _ = trip
    assert outsider_client.post(_url(group), {"bogus": True}).status == 404
    assert outsider_client.post(_url(group), {"name": "Spy"}).status == 404
    assert Member.objects.filter(group=group).count() == 3


# --- rename ------------------------------------------------------------------------------------


def test_rename_guest(user_client: Any, trip: Any) -> None:
    group, m = trip
    r = user_client.patch(_url(group, f"/{m['Citra'].pk}"), {"name": "Citra W."})
    assert r.status == 200
    assert r.json["name"] == "Citra W."
    activity = Activity.objects.get(verb="member.renamed")
    assert activity.changes == {"name": {"from": "Citra", "to": "Citra W."}}
    assert activity.summary == "Ayu renamed Citra to Citra W."


def test_renaming_a_user_member_changes_only_their_name_in_this_group(
    user_client: Any, trip: Any, budi: User
) -> None:
    group, m = trip
    r = user_client.patch(_url(group, f"/{m[budi].pk}"), {"name": "Budi Santoso"})
    assert r.status == 200
    assert r.json["user_id"] == budi.pk
    budi.refresh_from_db()
    assert budi.name == "Budi"


def test_rename_to_the_same_name_records_nothing(user_client: Any, trip: Any) -> None:
    group, m = trip
    assert user_client.patch(_url(group, f"/{m['Citra'].pk}"), {"name": "Citra"}).status == 200
    assert not Activity.objects.filter(verb="member.renamed").exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [({"name": "budi"}, "name_taken"), ({"name": ""}, "invalid"), ({}, "invalid")],
)
def test_rename_rejects_invalid_or_taken_names(
    user_client: Any, trip: Any, body: dict[str, Any], code: str
) -> None:
    group, m = trip
    r = user_client.patch(_url(group, f"/{m['Citra'].pk}"), body)
    assert r.status == 422
    assert r.json["error"]["code"] == code
    assert "name" in r.json["error"]["details"]["fields"]


def test_rename_member_of_another_group_is_404(user_client: Any, trip: Any, budi: User) -> None:
    group, _ = trip
    _, other = make_group(owner=budi, guests=("Zed",))
    r = user_client.patch(_url(group, f"/{other['Zed'].pk}"), {"name": "Mine"})
    assert r.status == 404
    assert r.json["error"]["code"] == "member_not_found"


def test_rename_by_non_member_is_404_even_with_an_invalid_body(
    outsider_client: Any, trip: Any
) -> None:
    group, m = trip
    assert outsider_client.patch(_url(group, f"/{m['Citra'].pk}"), {"name": 7}).status == 404


# --- remove / leave ----------------------------------------------------------------------------


def test_remove_member_with_zero_balance_is_soft(user_client: Any, trip: Any) -> None:
    group, m = trip
    assert user_client.delete(_url(group, f"/{m['Citra'].pk}")).status == 204
    citra = Member.objects.get(pk=m["Citra"].pk)
    assert citra.is_active is False
    assert citra.left_at is not None
    assert Activity.objects.get(verb="member.removed").target_id == citra.pk
    # Gone from the list and from further changes.
    assert user_client.delete(_url(group, f"/{citra.pk}")).status == 404


def test_removed_user_loses_access(
    client_for: Any, user_client: Any, trip: Any, budi: User
) -> None:
    group, m = trip
    user_client.delete(_url(group, f"/{m[budi].pk}"))
    assert client_for(budi).get(f"/api/groups/{group.pk}").status == 404


def test_remove_member_with_a_balance_is_409(user_client: Any, trip: Any) -> None:
    group, m = trip
    _set_balance(m["Citra"], 0, 100)
    r = user_client.delete(_url(group, f"/{m['Citra'].pk}"))
    assert r.status == 409
    assert r.json["error"]["code"] == "balance_not_zero"
    assert Member.objects.get(pk=m["Citra"].pk).is_active


def test_remove_member_with_a_pending_payment_is_409(
    user_client: Any, trip: Any, budi: User
) -> None:
    from paytungan.payments.models import Payment

    group, m = trip
    Payment.objects.create(
        group=group, from_member=m[budi], to_member=m["Citra"], amount=5, currency="IDR"
    )
    r = user_client.delete(_url(group, f"/{m['Citra'].pk}"))
    assert r.status == 409
    assert r.json["error"]["code"] == "pending_payments"


def test_leave_with_zero_balance(client_for: Any, trip: Any, budi: User) -> None:
    group, m = trip
    client = client_for(budi)
    assert client.post(f"/api/groups/{group.pk}/leave").status == 204
    member = Member.objects.get(pk=m[budi].pk)
    assert not member.is_active
    assert member.left_at is not None
    assert Activity.objects.get(verb="member.left").actor_member_id == member.pk
    assert client.get(f"/api/groups/{group.pk}").status == 404
    assert client.post(f"/api/groups/{group.pk}/leave").status == 404


def test_leave_with_a_balance_is_409(client_for: Any, trip: Any, budi: User) -> None:
    group, m = trip
    _set_balance(m[budi], 10, 0)
    r = client_for(budi).post(f"/api/groups/{group.pk}/leave")
    assert r.status == 409
    assert r.json["error"]["code"] == "balance_not_zero"


def test_removing_yourself_is_leaving(client_for: Any, trip: Any, budi: User) -> None:
    group, m = trip
    assert client_for(budi).delete(_url(group, f"/{m[budi].pk}")).status == 204
    assert Activity.objects.get(target_id=m[budi].pk).verb == "member.left"


def test_the_last_member_with_an_account_cannot_leave(user_client: Any, user: User) -> None:
    group, _ = make_group(owner=user, guests=("G",))
    r = user_client.post(f"/api/groups/{group.pk}/leave")
    assert r.status == 409
    assert r.json["error"]["code"] == "last_member"


def test_leave_is_404_for_a_non_member(outsider_client: Any, trip: Any) -> None:
    group, _ = trip
    assert outsider_client.post(f"/api/groups/{group.pk}/leave").status == 404


# --- account deletion --------------------------------------------------------------------------


def test_deleting_an_account_turns_its_memberships_into_guests(
    client_for: Any, user_client: Any, trip: Any, budi: User
) -> None:
    group, m = trip
    _set_balance(m[budi], 0, 700)
    _set_balance(m["Citra"], 700, 0)
    assert client_for(budi).delete("/api/me").status == 204
    items = {x["id"]: x for x in user_client.get(_url(group)).json["items"]}
    assert items[m[budi].pk] == {
        "id": m[budi].pk,
        "name": "Budi",
        "user_id": None,
        "is_me": False,
        "is_active": True,
        "balance": "-700",
    }
    assert len(items) == 3
    # The former user is now a claimable guest.
    invite = user_client.post(f"/api/groups/{group.pk}/invites", {}).json
    preview = client_for(make_user()).get(f"/api/invites/{invite['code']}").json
    assert {"id": m[budi].pk, "name": "Budi"} in preview["claimable_guests"]


def test_deleting_the_creators_account_lets_the_others_delete_the_group(
    client_for: Any, user_client: Any, trip: Any, user: User, budi: User
) -> None:
    group, _ = trip
    assert user_client.delete("/api/me").status == 204
    assert client_for(budi).get(f"/api/groups/{group.pk}").json["can_delete"] is True
    assert client_for(budi).delete(f"/api/groups/{group.pk}").status == 204
