"""Roles: the creator (while a member) removes members with an account and deletes the group;
anyone removes guests and leaves; nobody removes the creator."""

from __future__ import annotations

from typing import Any

from paytungan.accounts.models import User
from paytungan.common.testing import ApiClient, assert_error_shape, make_user
from paytungan.groups.models import Group, Member
from paytungan.groups.testing import make_group


def _client(user: User) -> ApiClient:
    return ApiClient().login(user)


def test_a_member_cannot_remove_the_creator_nor_then_delete_the_group(
    user: User, budi: User
) -> None:
    group, m = make_group(owner=user, users=(budi,))
    budi_client = _client(budi)
    response = budi_client.delete(f"/api/groups/{group.pk}/members/{m[user].pk}")
    assert_error_shape(response, 403, "not_group_admin")
    assert Member.objects.get(pk=m[user].pk).is_active
    assert_error_shape(budi_client.delete(f"/api/groups/{group.pk}"), 403)
    assert Group.objects.filter(pk=group.pk).exists()


def test_a_member_cannot_remove_another_registered_member(user: User, budi: User) -> None:
    citra = make_user(name="Citra")
    group, m = make_group(owner=user, users=(budi, citra))
    response = _client(budi).delete(f"/api/groups/{group.pk}/members/{m[citra].pk}")
    assert_error_shape(response, 403, "not_group_admin")
    assert Member.objects.get(pk=m[citra].pk).is_active


def test_any_member_removes_a_guest_and_leaves(user: User, budi: User) -> None:
    group, m = make_group(owner=user, users=(budi,), guests=("Dewi",))
    client = _client(budi)
    assert client.delete(f"/api/groups/{group.pk}/members/{m['Dewi'].pk}").status == 204
    assert client.post(f"/api/groups/{group.pk}/leave").status == 204


def test_the_creator_removes_a_registered_member(user: User, budi: User) -> None:
    group, m = make_group(owner=user, users=(budi,))
    assert _client(user).delete(f"/api/groups/{group.pk}/members/{m[budi].pk}").status == 204
    assert not Member.objects.get(pk=m[budi].pk).is_active


def test_once_the_creator_left_any_member_manages(user: User, budi: User) -> None:
    citra = make_user(name="Citra")
    group, m = make_group(owner=user, users=(budi, citra))
    assert _client(user).post(f"/api/groups/{group.pk}/leave").status == 204
    client: Any = _client(budi)
    assert client.delete(f"/api/groups/{group.pk}/members/{m[citra].pk}").status == 204
