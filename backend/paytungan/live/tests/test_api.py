"""GET /api/groups/{gid}/changes: a version that moves with every change, ETag and 304."""

from __future__ import annotations

from typing import Any

from paytungan.accounts.models import User
from paytungan.common.testing import assert_error_shape, make_user
from paytungan.groups.testing import make_group


def _url(group: Any) -> str:
    return f"/api/groups/{group.pk}/changes"


def _bill(client: Any, group: Any, payer: Any, *members: Any) -> None:
    r = client.post(
        f"/api/groups/{group.pk}/bills",
        {
            "title": "Bensin",
            "total": "90000",
            "payers": [{"member_id": payer.pk, "amount": "90000"}],
            "split": {"mode": "equal", "members": [{"member_id": m.pk} for m in members]},
        },
    )
    assert r.status == 201, r


def test_an_unchanged_group_answers_304_to_its_own_etag(make_client: Any) -> None:
    ayu = make_user(name="Ayu")
    group, _ = make_group(owner=ayu)
    client = make_client(ayu)
    first = client.get(_url(group))
    assert first.status == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(_url(group), headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.raw.content == b""
    assert again.headers["ETag"] == etag
    assert client.get(_url(group), headers={"If-None-Match": f'"x", W/{etag}'}).status == 304
    assert client.get(_url(group), headers={"If-None-Match": '"stale"'}).status == 200


def test_another_members_bill_and_payment_move_the_version(make_client: Any) -> None:
    ayu, budi = make_user(name="Ayu"), make_user(name="Budi")
    group, m = make_group(owner=ayu, users=(budi,))
    ayu_client, budi_client = make_client(ayu), make_client(budi)
    before = ayu_client.get(_url(group))
    _bill(budi_client, group, m[budi], m[ayu], m[budi])
    after_bill = ayu_client.get(_url(group), headers={"If-None-Match": before.headers["ETag"]})
    assert after_bill.status == 200
    assert after_bill.json["version"] > before.json["version"]

    # Budi records paying Ayu: pending for Ayu, so her count and tag change; Budi's count not.
    r = budi_client.post(
        f"/api/groups/{group.pk}/payments",
        {
            "from_member_id": m[budi].pk,
            "to_member_id": m[ayu].pk,
            "amount": "45000",
            "currency": "IDR",
        },
    )
    assert r.status == 201
    pending = ayu_client.get(_url(group), headers={"If-None-Match": after_bill.headers["ETag"]})
    assert pending.status == 200
    assert pending.json["pending_confirmations"] == 1
    assert budi_client.get(_url(group)).json["pending_confirmations"] == 0

    # Ayu confirms: the count drops and Budi's page sees a new version.
    budi_tag = budi_client.get(_url(group)).headers["ETag"]
    assert ayu_client.post(f"/api/groups/{group.pk}/payments/{r.json['id']}/confirm").status == 200
    assert ayu_client.get(_url(group)).json["pending_confirmations"] == 0
    assert budi_client.get(_url(group), headers={"If-None-Match": budi_tag}).status == 200


def test_each_member_gets_their_own_tag(make_client: Any) -> None:
    ayu, budi = make_user(name="Ayu"), make_user(name="Budi")
    group, _ = make_group(owner=ayu, users=(budi,))
    ayu_tag = make_client(ayu).get(_url(group)).headers["ETag"]
    assert make_client(budi).get(_url(group), headers={"If-None-Match": ayu_tag}).status == 200


def test_non_members_get_404_even_with_a_matching_tag(make_client: Any, user: User) -> None:
    group, _ = make_group(owner=user)
    etag = make_client(user).get(_url(group)).headers["ETag"]
    stranger = make_client(make_user(name="Stranger"))
    assert_error_shape(stranger.get(_url(group), headers={"If-None-Match": etag}), 404)
    assert make_client().get(_url(group)).status == 401


def test_a_poll_takes_the_same_few_queries_with_many_bills(make_client: Any, queries: Any) -> None:
    ayu, budi = make_user(name="Ayu"), make_user(name="Budi")
    group, m = make_group(owner=ayu, users=(budi,))
    client = make_client(ayu)
    _bill(client, group, m[ayu], m[ayu], m[budi])
    client.get("/api/me")
    with queries() as base:
        client.get("/api/me")
    etag = client.get(_url(group)).headers["ETag"]
    with queries() as few:
        assert client.get(_url(group), headers={"If-None-Match": etag}).status == 304
    for _ in range(10):
        _bill(client, group, m[ayu], m[ayu], m[budi])
    etag = client.get(_url(group)).headers["ETag"]
    with queries() as many:
        assert client.get(_url(group), headers={"If-None-Match": etag}).status == 304
    # The membership comes with the session's user query; then the newest activity id and the
    # pending confirmations: two queries of its own, however many bills.
    assert few.count == many.count == base.count + 2
