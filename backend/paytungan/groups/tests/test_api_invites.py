from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.models import Activity, Invite, Member
from paytungan.groups.testing import group_queries


@pytest.fixture
def code(user_client: Any, trip: Any) -> str:
    group, _ = trip
    r = user_client.post(f"/api/groups/{group.pk}/invites", {})
    assert r.status == 201, r
    return str(r.json["code"])


@pytest.fixture
def dewi(db: None) -> User:
    return make_user(name="Dewi")


# --- create / list / revoke --------------------------------------------------------------------


def test_create_invite_returns_an_unguessable_code_and_its_url(user_client: Any, trip: Any) -> None:
    group, _ = trip
    r = user_client.post(f"/api/groups/{group.pk}/invites", {"expires_in_days": 7})
    assert r.status == 201
    body = r.json
    assert len(body["code"]) >= 22
    assert body["url"] == f"{settings.FRONTEND_URL}/join/{body['code']}"
    expires = Invite.objects.get(code=body["code"]).expires_at
    assert expires is not None
    assert timedelta(days=6, hours=23) < expires - timezone.now() <= timedelta(days=7)
    other = user_client.post(f"/api/groups/{group.pk}/invites", {}).json["code"]
    assert other != body["code"]
    assert Activity.objects.filter(verb="invite.created").count() == 2


def test_invite_expiry_defaults_to_30_days_and_null_means_never(
    user_client: Any, trip: Any
) -> None:
    group, _ = trip
    default = user_client.post(f"/api/groups/{group.pk}/invites", {}).json
    never = user_client.post(f"/api/groups/{group.pk}/invites", {"expires_in_days": None}).json
    assert never["expires_at"] is None
    expires = Invite.objects.get(code=default["code"]).expires_at
    assert expires is not None
    assert expires - timezone.now() > timedelta(days=29)


def test_create_invite_without_a_body_uses_the_defaults(user_client: Any, trip: Any) -> None:
    group, _ = trip
    raw = user_client.client.generic(
        "POST", f"/api/groups/{group.pk}/invites", headers={"X-CSRFToken": user_client.csrf()}
    )
    assert raw.status_code == 201, raw.content
    assert Invite.objects.get(group=group).expires_at is not None


@pytest.mark.parametrize("days", [0, 366, "soon", 1.5])
def test_create_invite_rejects_bad_expiry(user_client: Any, trip: Any, days: Any) -> None:
    group, _ = trip
    r = user_client.post(f"/api/groups/{group.pk}/invites", {"expires_in_days": days})
    assert r.status == 422
    assert "expires_in_days" in r.json["error"]["details"]["fields"]


def test_list_invites_shows_usable_ones_newest_first(
    user_client: Any, trip: Any, code: str
) -> None:
    group, _ = trip
    newer = user_client.post(f"/api/groups/{group.pk}/invites", {}).json["code"]
    revoked = user_client.post(f"/api/groups/{group.pk}/invites", {}).json["code"]
    user_client.delete(f"/api/groups/{group.pk}/invites/{revoked}")
    Invite.objects.create(
        group=group, code="expired-code", expires_at=timezone.now() - timedelta(seconds=1)
    )
    r = user_client.get(f"/api/groups/{group.pk}/invites")
    assert r.status == 200
    assert [i["code"] for i in r.json["items"]] == [newer, code]


def test_revoke_invite_makes_it_unusable(
    user_client: Any, trip: Any, code: str, dewi: User
) -> None:
    group, _ = trip
    assert user_client.delete(f"/api/groups/{group.pk}/invites/{code}").status == 204
    assert Activity.objects.filter(verb="invite.revoked").count() == 1
    # Revoking again is harmless and records nothing more.
    assert user_client.delete(f"/api/groups/{group.pk}/invites/{code}").status == 204
    assert Activity.objects.filter(verb="invite.revoked").count() == 1
    assert user_client.get(f"/api/invites/{code}").status == 404
    assert user_client.post(f"/api/invites/{code}/accept", {}).status == 404


def test_revoke_unknown_or_other_groups_invite_is_404(
    user_client: Any, trip: Any, budi: User, client_for: Any
) -> None:
    from paytungan.groups.testing import make_group

    group, _ = trip
    other, _ = make_group(owner=budi)
    other_code = client_for(budi).post(f"/api/groups/{other.pk}/invites", {}).json["code"]
    assert user_client.delete(f"/api/groups/{group.pk}/invites/nope").status == 404
    assert user_client.delete(f"/api/groups/{group.pk}/invites/{other_code}").status == 404
    assert Invite.objects.get(code=other_code).revoked_at is None


def test_invite_routes_are_404_for_non_members(outsider_client: Any, trip: Any, code: str) -> None:
    group, _ = trip
    assert outsider_client.get(f"/api/groups/{group.pk}/invites").status == 404
    assert outsider_client.post(f"/api/groups/{group.pk}/invites", {}).status == 404
    bad = {"expires_in_days": "x"}
    assert outsider_client.post(f"/api/groups/{group.pk}/invites", bad).status == 404
    assert outsider_client.delete(f"/api/groups/{group.pk}/invites/{code}").status == 404
    assert Invite.objects.get(code=code).revoked_at is None


# --- preview -----------------------------------------------------------------------------------


def test_preview_shows_group_name_count_and_claimable_guests(
    client_for: Any, trip: Any, code: str, dewi: User
) -> None:
    group, m = trip
    Member.objects.create(group=group, name="Gone", is_active=False)
    r = client_for(dewi).get(f"/api/invites/{code}")
    assert r.status == 200
    assert r.json["group_name"] == "Trip"
    assert r.json["currency"] == "IDR"
    assert r.json["member_count"] == 3
    assert r.json["claimable_guests"] == [{"id": m["Citra"].pk, "name": "Citra"}]
    assert r.json["already_member"] is False
    assert r.json["expires_at"] is not None


def test_preview_says_when_i_am_already_a_member(user_client: Any, code: str) -> None:
    assert user_client.get(f"/api/invites/{code}").json["already_member"] is True


def test_preview_of_unknown_or_expired_invite_is_404(user_client: Any, trip: Any) -> None:
    group, _ = trip
    Invite.objects.create(group=group, code="old", expires_at=timezone.now() - timedelta(days=1))
    assert user_client.get("/api/invites/unknown").status == 404
    r = user_client.get("/api/invites/old")
    assert r.status == 404
    assert r.json["error"]["code"] == "invite_not_found"


def test_preview_needs_login(api: Any, code: str) -> None:
    assert api.get(f"/api/invites/{code}").status == 401


def test_preview_takes_constant_queries(
    client_for: Any, trip: Any, code: str, dewi: User, queries: Any
) -> None:
    group, _ = trip
    client = client_for(dewi)
    with queries() as q1:
        client.get(f"/api/invites/{code}")
    for i in range(10):
        Member.objects.create(group=group, name=f"G{i}")
    with queries() as q2:
        assert len(client.get(f"/api/invites/{code}").json["claimable_guests"]) == 11
    assert q1.count == q2.count
    assert group_queries(q2) == 2  # the invite with its group, then the members


# --- accept ------------------------------------------------------------------------------------


def test_accept_joins_as_a_new_member(client_for: Any, trip: Any, code: str, dewi: User) -> None:
    group, _ = trip
    r = client_for(dewi).post(f"/api/invites/{code}/accept", {})
    assert r.status == 200, r
    member = Member.objects.get(pk=r.json["member_id"])
    assert r.json["group_id"] == group.pk
    assert (member.user, member.name, member.is_active) == (dewi, "Dewi", True)
    assert Activity.objects.get(verb="member.joined").actor_member_id == member.pk
    assert client_for(dewi).get(f"/api/groups/{group.pk}").status == 200


def test_accept_without_a_body_joins_too(client_for: Any, code: str, dewi: User) -> None:
    client = client_for(dewi)
    # As fetch() sends it: no body, no Content-Type.
    raw = client.client.generic(
        "POST", f"/api/invites/{code}/accept", headers={"X-CSRFToken": client.csrf()}
    )
    assert raw.status_code == 200, raw.content
    assert Member.objects.filter(user=dewi).exists()


def test_accept_with_a_json_null_body_joins(client_for: Any, code: str, dewi: User) -> None:
    assert client_for(dewi).post(f"/api/invites/{code}/accept", raw="null").status == 200


def test_accept_again_returns_the_same_membership(
    client_for: Any, trip: Any, code: str, dewi: User
) -> None:
    first = client_for(dewi).post(f"/api/invites/{code}/accept", {}).json
    again = client_for(dewi).post(f"/api/invites/{code}/accept", {}).json
    assert first == again
    assert Activity.objects.filter(verb="member.joined").count() == 1


def test_existing_member_accepting_gets_their_membership(
    user_client: Any, trip: Any, code: str, user: User
) -> None:
    group, m = trip
    r = user_client.post(f"/api/invites/{code}/accept", {})
    assert r.json == {"group_id": group.pk, "member_id": m[user].pk}


def test_accept_claiming_a_guest_keeps_its_id_and_history(
    client_for: Any, trip: Any, code: str, dewi: User
) -> None:
    group, m = trip
    citra = m["Citra"]
    Member.objects.filter(pk=citra.pk).update(paid=0, owed=5000)
    r = client_for(dewi).post(f"/api/invites/{code}/accept", {"claim_member_id": citra.pk})
    assert r.status == 200, r
    assert r.json == {"group_id": group.pk, "member_id": citra.pk}
    citra.refresh_from_db()
    assert (citra.user, citra.name, citra.balance) == (dewi, "Citra", -5000)
    assert Member.objects.filter(group=group).count() == 3
    assert Activity.objects.get(verb="member.claimed").summary == "Dewi joined as Citra"
    mine = client_for(dewi).get(f"/api/groups/{group.pk}/members").json["items"]
    assert [x["id"] for x in mine if x["is_me"]] == [citra.pk]
    # The same claim again is the idempotent "already a member".
    again = client_for(dewi).post(f"/api/invites/{code}/accept", {"claim_member_id": citra.pk})
    assert again.json == r.json


def test_claiming_an_already_claimed_guest_is_409(
    client_for: Any, trip: Any, code: str, dewi: User
) -> None:
    _, m = trip
    client_for(dewi).post(f"/api/invites/{code}/accept", {"claim_member_id": m["Citra"].pk})
    r = client_for(make_user()).post(
        f"/api/invites/{code}/accept", {"claim_member_id": m["Citra"].pk}
    )
    assert r.status == 409
    assert r.json["error"]["code"] == "already_claimed"


def test_claiming_a_user_member_is_409(
    client_for: Any, trip: Any, code: str, dewi: User, budi: User
) -> None:
    _, m = trip
    r = client_for(dewi).post(f"/api/invites/{code}/accept", {"claim_member_id": m[budi].pk})
    assert r.status == 409
    assert not Member.objects.filter(user=dewi).exists()


def test_claiming_a_guest_of_another_group_or_a_removed_one_is_422(
    client_for: Any, trip: Any, code: str, dewi: User, budi: User
) -> None:
    from paytungan.groups.testing import make_group

    group, _ = trip
    _, other = make_group(owner=budi, guests=("Zed",))
    gone = Member.objects.create(group=group, name="Gone", is_active=False)
    for member_id in (other["Zed"].pk, gone.pk, 999_999):
        r = client_for(dewi).post(f"/api/invites/{code}/accept", {"claim_member_id": member_id})
        assert r.status == 422, r
        assert r.json["error"]["details"]["fields"] == {
            "claim_member_id": ["No such guest in this group."]
        }
    assert not Member.objects.filter(user=dewi).exists()


def test_member_claiming_another_guest_is_409(
    client_for: Any, trip: Any, code: str, budi: User
) -> None:
    _, m = trip
    r = client_for(budi).post(f"/api/invites/{code}/accept", {"claim_member_id": m["Citra"].pk})
    assert r.status == 409
    assert r.json["error"]["code"] == "already_member"
    assert Member.objects.get(pk=m["Citra"].pk).user is None


def test_a_removed_member_rejoins_with_the_same_membership(
    client_for: Any, user_client: Any, trip: Any, code: str, budi: User
) -> None:
    group, m = trip
    user_client.delete(f"/api/groups/{group.pk}/members/{m[budi].pk}")
    r = client_for(budi).post(f"/api/invites/{code}/accept", {})
    assert r.json == {"group_id": group.pk, "member_id": m[budi].pk}
    assert Member.objects.get(pk=m[budi].pk).is_active
    # Rejoining by claiming a guest instead is refused: one membership per person.
    user_client.delete(f"/api/groups/{group.pk}/members/{m[budi].pk}")
    r = client_for(budi).post(f"/api/invites/{code}/accept", {"claim_member_id": m["Citra"].pk})
    assert r.status == 409
    assert r.json["error"]["code"] == "previous_member"


@pytest.mark.parametrize("body", [{"claim_member_id": "x"}, {"other": 1}, []])
def test_accept_rejects_an_invalid_body(client_for: Any, code: str, dewi: User, body: Any) -> None:
    r = client_for(dewi).post(f"/api/invites/{code}/accept", body)
    assert r.status == 422
    assert not Member.objects.filter(user=dewi).exists()


def test_accept_expired_invite_is_404(client_for: Any, trip: Any, dewi: User) -> None:
    group, _ = trip
    Invite.objects.create(group=group, code="old", expires_at=timezone.now() - timedelta(days=1))
    assert client_for(dewi).post("/api/invites/old/accept", {}).status == 404
