from __future__ import annotations

from typing import Any

import pytest

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.models import Activity, Member
from paytungan.groups.testing import make_group
from paytungan.ops.models import IdempotencyKey
from paytungan.payments.models import Payment
from paytungan.payments.testing import balance_oracle
from paytungan.payments.tests.factories import add_bill, balances_of


def _url(group: Any, suffix: str = "") -> str:
    return f"/api/groups/{group.pk}/payments{suffix}"


def _body(frm: Member, to: Member, amount: str = "50000", **extra: Any) -> dict[str, Any]:
    return {
        "from_member_id": frm.pk,
        "to_member_id": to.pk,
        "amount": amount,
        "currency": "IDR",
        **extra,
    }


def _record(client: Any, group: Any, frm: Member, to: Member, amount: str = "50000") -> Any:
    r = client.post(_url(group), _body(frm, to, amount))
    assert r.status == 201, r
    return r.json


# --- record --------------------------------------------------------------------------------------


def test_a_payment_recorded_by_a_third_member_is_pending_and_moves_nothing(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    r = client_for(user).post(_url(group), _body(m[budi], m[citra], note="Bensin"))
    assert r.status == 201, r
    body = r.json
    assert body["status"] == "pending"
    assert body["decided_at"] is None
    assert body["amount"] == "50000"
    assert body["currency"] == "IDR"
    assert (body["from_member_id"], body["to_member_id"]) == (m[budi].pk, m[citra].pk)
    assert body["recorded_by_member_id"] == m[user].pk
    assert body["note"] == "Bensin"
    assert body["bill_id"] is None
    assert set(balances_of(group).values()) == {0}


def test_the_payer_recording_their_own_payment_leaves_it_pending(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    body = _record(client_for(budi), group, m[budi], m[citra])
    assert body["status"] == "pending"
    assert set(balances_of(group).values()) == {0}


def test_a_payment_recorded_by_its_receiver_is_confirmed_at_once_and_moves_balances(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    body = _record(client_for(citra), group, m[budi], m[citra], "75000")
    assert body["status"] == "confirmed"
    assert body["decided_at"] is not None
    budi_row, citra_row = Member.objects.get(pk=m[budi].pk), Member.objects.get(pk=m[citra].pk)
    assert (budi_row.paid, budi_row.owed) == (75000, 0)
    assert (citra_row.paid, citra_row.owed) == (0, 75000)
    assert balances_of(group) == balance_oracle(group_id=group.pk)


def test_a_payment_to_a_guest_is_confirmed_at_once(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    body = _record(client_for(user), group, m[budi], m["Dodi"])
    assert body["status"] == "confirmed"
    assert balances_of(group)[m["Dodi"].pk] == -50000


def test_a_payment_can_pay_a_live_bill_of_the_group(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    bill = add_bill(group, paid={m[user]: 100000}, shares={m[user]: 50000, m[budi]: 50000})
    r = client_for(budi).post(_url(group), _body(m[budi], m[user], bill_id=bill.pk))
    assert r.status == 201, r
    assert r.json["bill_id"] == bill.pk


def test_recording_writes_the_activity_log(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    body = _record(client_for(user), group, m[budi], m[citra], "12000")
    entry = Activity.objects.get(group=group)
    assert (entry.verb, entry.target_type, entry.target_id) == (
        "payment.recorded",
        "payment",
        body["id"],
    )
    assert entry.actor == user
    assert entry.actor_member_id == m[user].pk
    assert entry.changes["amount"] == {"from": None, "to": "12000"}
    assert entry.changes["status"] == {"from": None, "to": "pending"}
    assert "Budi" in entry.summary
    assert "Citra" in entry.summary


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_member_id": "payer"}, "to_member_id"),
        ({"to_member_id": 999_999_999}, "to_member_id"),
        ({"from_member_id": 999_999_999}, "from_member_id"),
        ({"from_member_id": "other group"}, "from_member_id"),
        ({"from_member_id": "inactive"}, "from_member_id"),
        ({"from_member_id": True}, "from_member_id"),
        ({"from_member_id": "7"}, "from_member_id"),
        ({"from_member_id": 1.0}, "from_member_id"),
        ({"to_member_id": 0}, "to_member_id"),
        ({"to_member_id": 2**63}, "to_member_id"),
        ({"note": "a\ud800b"}, "note"),
        ({"currency": "USD"}, "currency"),
        ({"currency": "idr"}, "currency"),
        ({"currency": "IDRX"}, "currency"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5000"}, "amount"),
        ({"amount": "12.50"}, "amount"),
        ({"amount": "1e5"}, "amount"),
        ({"amount": "1,000"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": 5000}, "amount"),
        ({"amount": "9" * 41}, "amount"),
        ({"amount": "99999999999999999999"}, "amount"),
        ({"note": "x" * 201}, "note"),
        ({"bill_id": 999_999_999}, "bill_id"),
        ({"bill_id": "deleted"}, "bill_id"),
        ({"bill_id": "other group"}, "bill_id"),
        ({"colour": "red"}, "colour"),
        ({"amount": None}, "amount"),
    ],
)
def test_an_invalid_payment_is_422_naming_the_field(
    user: User, budi: User, citra: User, trip: Any, client_for: Any, change: Any, field: str
) -> None:
    group, m = trip
    other_group, other = make_group(owner=user, guests=("Eka",))
    gone = Member.objects.create(group=group, name="Gone", is_active=False)
    bill = add_bill(group, paid={m[user]: 1000}, shares={m[budi]: 1000})
    deleted = add_bill(group, paid={m[user]: 1000}, shares={m[budi]: 1000})
    deleted.deleted_at = deleted.created_at
    deleted.save()
    elsewhere = add_bill(other_group, paid={other[user]: 1000}, shares={other["Eka"]: 1000})
    # Symbolic values in the table stand for rows made here.
    symbols = {
        ("to_member_id", "payer"): m[budi].pk,
        ("from_member_id", "other group"): other["Eka"].pk,
        ("from_member_id", "inactive"): gone.pk,
        ("bill_id", "deleted"): deleted.pk,
        ("bill_id", "other group"): elsewhere.pk,
    }
    body = _body(m[budi], m[citra], bill_id=bill.pk)
    for key, value in change.items():
        body[key] = symbols.get((key, value), value) if isinstance(value, str) else value
    r = client_for(user).post(_url(group), body)
    assert r.status == 422, r
    assert r.json["error"]["code"] == "invalid"
    assert field in r.json["error"]["details"]["fields"], r.json
    assert not Payment.objects.exists()


def test_a_payment_in_another_currency_says_which_currency_to_use(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    r = client_for(user).post(_url(group), {**_body(m[budi], m[citra]), "currency": "USD"})
    assert r.status == 422
    [message] = r.json["error"]["details"]["fields"]["currency"]
    assert "IDR" in message


def test_all_field_errors_are_reported_together(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    body = {**_body(m[budi], m[budi], "0"), "currency": "USD"}
    r = client_for(user).post(_url(group), body)
    assert r.status == 422
    assert set(r.json["error"]["details"]["fields"]) == {"to_member_id", "currency", "amount"}


def test_a_missing_or_malformed_body_is_rejected(user: User, trip: Any, client_for: Any) -> None:
    group, _ = trip
    client = client_for(user)
    assert client.post(_url(group), raw="", content_type="application/json").status == 422
    assert client.post(_url(group), raw="{not json").status == 400
    assert client.post(_url(group), [1, 2]).status == 422


# --- idempotency -------------------------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_returns_the_first_payment_and_counts_once(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    client = client_for(citra)
    headers = {"Idempotency-Key": "pay-1"}
    first = client.post(_url(group), _body(m[budi], m[citra]), headers=headers)
    again = client.post(_url(group), _body(m[budi], m[citra]), headers=headers)
    assert first.status == again.status == 201
    assert first.json == again.json
    assert Payment.objects.count() == 1
    assert balances_of(group)[m[budi].pk] == 50000
    assert IdempotencyKey.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_422(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    client = client_for(citra)
    headers = {"Idempotency-Key": "pay-2"}
    assert client.post(_url(group), _body(m[budi], m[citra]), headers=headers).status == 201
    r = client.post(_url(group), _body(m[budi], m[citra], "1"), headers=headers)
    assert r.status == 422
    assert "Idempotency-Key" in r.json["error"]["details"]["fields"]
    assert Payment.objects.count() == 1


def test_an_invalid_payment_with_an_idempotency_key_stores_nothing(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    client = client_for(citra)
    headers = {"Idempotency-Key": "pay-3"}
    assert client.post(_url(group), _body(m[budi], m[citra], "0"), headers=headers).status == 422
    assert not IdempotencyKey.objects.exists()
    assert client.post(_url(group), _body(m[budi], m[citra]), headers=headers).status == 201


# --- over-payment --------------------------------------------------------------------------------


def test_paying_more_than_owed_is_allowed_but_flagged(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    add_bill(group, paid={m[user]: 90000}, shares={m[user]: 30000, m[budi]: 30000, m[citra]: 30000})
    client = client_for(user)
    assert _record(client, group, m[budi], m[user], "30000")["is_overpayment"] is False
    # Budi is square now: anything more is an over-payment.
    assert _record(client, group, m[budi], m[user], "1")["is_overpayment"] is True
    # Citra may not pay more than Ayu is owed either, nor anything to Budi, who is owed nothing.
    assert _record(client, group, m[citra], m[user], "30001")["is_overpayment"] is True
    assert _record(client, group, m[citra], m[budi], "5000")["is_overpayment"] is True


def test_over_payment_follows_pairwise_debts_when_debts_are_not_simplified(
    user: User, budi: User, citra: User, client_for: Any
) -> None:
    group, m = make_group(owner=user, users=(budi, citra), simplify_debts=False)
    # Budi owes Ayu 40000 for one bill; Ayu owes Citra 40000 for another: Ayu's balance is zero.
    add_bill(group, paid={m[user]: 40000}, shares={m[budi]: 40000})
    add_bill(group, paid={m[citra]: 40000}, shares={m[user]: 40000})
    client = client_for(user)
    assert _record(client, group, m[budi], m[user], "40000")["is_overpayment"] is False
    assert _record(client, group, m[user], m[citra], "40000")["is_overpayment"] is False
    assert _record(client, group, m[budi], m[citra], "1")["is_overpayment"] is True


# --- list and detail -----------------------------------------------------------------------------


def test_payments_are_listed_newest_first_and_filtered_by_status(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    client = client_for(user)
    pending = _record(client, group, m[budi], m[citra], "1000")
    confirmed = _record(client, group, m[budi], m[user], "2000")
    r = client.get(_url(group))
    assert r.status == 200
    assert [p["id"] for p in r.json["items"]] == [confirmed["id"], pending["id"]]
    assert r.json["next_cursor"] is None
    assert r.json["items"][0] == confirmed
    only = client.get(_url(group, "?status=pending")).json["items"]
    assert [p["id"] for p in only] == [pending["id"]]
    assert client.get(_url(group, "?status=maybe")).status == 422


def test_the_payment_list_is_cursor_paginated(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    client = client_for(user)
    ids = [_record(client, group, m[budi], m[user], str(1000 + i))["id"] for i in range(5)]
    seen: list[int] = []
    cursor = None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(_url(group, query)).json
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    assert client.get(_url(group, "?cursor=garbage")).status == 422
    assert client.get(_url(group, "?limit=201")).status == 422
    assert client.get(_url(group, "?limit=0")).status == 422


def test_listing_payments_takes_the_same_queries_for_1_or_20_payments(
    user: User, budi: User, citra: User, trip: Any, client_for: Any, queries: Any, overhead: Any
) -> None:
    group, m = trip
    client = client_for(user)
    _record(client, group, m[budi], m[citra])
    client.get(_url(group))  # warm the session
    with queries() as one:
        assert client.get(_url(group)).status == 200
    for _ in range(19):
        _record(client, group, m[budi], m[citra])
    with queries() as many:
        assert len(client.get(_url(group)).json["items"]) == 20
    # The page (the access check rides on the authentication's query).
    assert one.count == many.count == overhead(client) + 1


def test_one_payment_can_be_read(user: User, budi: User, trip: Any, client_for: Any) -> None:
    group, m = trip
    body = _record(client_for(user), group, m[budi], m[user])
    r = client_for(user).get(_url(group, f"/{body['id']}"))
    assert r.status == 200
    assert r.json == body


def test_a_payment_of_another_group_is_404(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, _m = trip
    other, om = make_group(owner=user, guests=("Eka",))
    elsewhere = _record(client_for(user), other, om["Eka"], om[user])
    client = client_for(user)
    for method, suffix in [
        ("get", ""),
        ("post", "/confirm"),
        ("post", "/reject"),
        ("delete", ""),
    ]:
        r = getattr(client, method)(_url(group, f"/{elsewhere['id']}{suffix}"))
        assert r.status == 404, (method, suffix, r)
        assert r.json["error"]["code"] == "payment_not_found"
    assert Payment.objects.filter(pk=elsewhere["id"]).exists()


# --- confirm and reject --------------------------------------------------------------------------


def test_the_receiver_confirms_a_pending_payment_which_then_moves_balances(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra], "30000")
    r = client_for(citra).post(_url(group, f"/{pending['id']}/confirm"))
    assert r.status == 200, r
    assert r.json["status"] == "confirmed"
    assert r.json["decided_at"] is not None
    assert r.json["recorded_by_member_id"] == m[user].pk
    assert balances_of(group)[m[budi].pk] == 30000
    assert balances_of(group)[m[citra].pk] == -30000
    assert balances_of(group) == balance_oracle(group_id=group.pk)
    entry = Activity.objects.filter(group=group).latest("id")
    assert entry.verb == "payment.confirmed"
    assert entry.actor == citra
    assert entry.changes["status"] == {"from": "pending", "to": "confirmed"}


def test_confirming_twice_is_harmless_and_counts_once(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(budi), group, m[budi], m[citra])
    client = client_for(citra)
    first = client.post(_url(group, f"/{pending['id']}/confirm"))
    second = client.post(_url(group, f"/{pending['id']}/confirm"))
    assert first.status == second.status == 200
    assert first.json == second.json
    assert balances_of(group)[m[budi].pk] == 50000
    assert Activity.objects.filter(verb="payment.confirmed").count() == 1


@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_only_the_receiver_may_confirm_or_reject(
    user: User, budi: User, citra: User, trip: Any, client_for: Any, action: str
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    for who in (user, budi):
        r = client_for(who).post(_url(group, f"/{pending['id']}/{action}"))
        assert r.status == 403, r
        assert r.json["error"]["code"] == "not_payment_receiver"
    assert Payment.objects.get(pk=pending["id"]).status == "pending"
    assert set(balances_of(group).values()) == {0}


def test_the_receiver_rejects_a_pending_payment_which_moves_nothing(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    client = client_for(citra)
    r = client.post(_url(group, f"/{pending['id']}/reject"))
    assert r.status == 200
    assert r.json["status"] == "rejected"
    assert r.json["decided_at"] is not None
    assert set(balances_of(group).values()) == {0}
    assert client.post(_url(group, f"/{pending['id']}/reject")).status == 200
    assert Activity.objects.filter(verb="payment.rejected").count() == 1


def test_confirming_a_rejected_payment_is_409(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(budi), group, m[budi], m[citra])
    client = client_for(citra)
    assert client.post(_url(group, f"/{pending['id']}/reject")).status == 200
    r = client.post(_url(group, f"/{pending['id']}/confirm"))
    assert r.status == 409
    assert r.json["error"]["code"] == "payment_rejected"
    assert set(balances_of(group).values()) == {0}


def test_rejecting_a_confirmed_payment_is_409(
    budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    confirmed = _record(client_for(citra), group, m[budi], m[citra])
    r = client_for(citra).post(_url(group, f"/{confirmed['id']}/reject"))
    assert r.status == 409
    assert r.json["error"]["code"] == "payment_confirmed"
    assert balances_of(group)[m[budi].pk] == 50000


def test_a_payment_whose_payer_left_cannot_be_confirmed(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    Member.objects.filter(pk=m[budi].pk).update(is_active=False)
    r = client_for(citra).post(_url(group, f"/{pending['id']}/confirm"))
    assert r.status == 409
    assert r.json["error"]["code"] == "member_inactive"
    assert "Budi" in r.json["error"]["message"]


def test_anyone_may_decide_for_a_receiver_who_became_a_guest(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    Member.objects.filter(pk=m[citra].pk).update(user=None)  # Citra deleted her account
    r = client_for(budi).post(_url(group, f"/{pending['id']}/confirm"))
    assert r.status == 200
    assert r.json["status"] == "confirmed"


# --- delete --------------------------------------------------------------------------------------


def test_the_recorder_deletes_a_pending_payment(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    r = client_for(user).delete(_url(group, f"/{pending['id']}"))
    assert r.status == 204
    assert not Payment.objects.exists()
    entry = Activity.objects.filter(group=group).latest("id")
    assert (entry.verb, entry.target_id) == ("payment.deleted", pending["id"])
    assert entry.changes["amount"] == {"from": "50000", "to": None}


def test_deleting_a_confirmed_payment_reverses_its_effect_on_balances(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    add_bill(group, paid={m[citra]: 80000}, shares={m[budi]: 80000})
    before = balances_of(group)
    confirmed = _record(client_for(citra), group, m[budi], m[citra], "80000")
    assert set(balances_of(group).values()) == {0}
    assert client_for(citra).delete(_url(group, f"/{confirmed['id']}")).status == 204
    assert balances_of(group) == before == balance_oracle(group_id=group.pk)


def test_the_receiver_may_delete_a_payment_someone_else_recorded(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    assert client_for(citra).delete(_url(group, f"/{pending['id']}")).status == 204


def test_other_members_may_not_delete_a_payment(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    pending = _record(client_for(user), group, m[budi], m[citra])
    # Budi is the payer, but neither recorded it nor receives it.
    r = client_for(budi).delete(_url(group, f"/{pending['id']}"))
    assert r.status == 403
    assert r.json["error"]["code"] == "not_payment_owner"
    assert Payment.objects.filter(pk=pending["id"]).exists()


# --- my payments ---------------------------------------------------------------------------------


def test_my_payments_lists_pending_incoming_payments_across_my_groups(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    other, om = make_group(owner=budi, name="Kos", users=(user,))
    first = _record(client_for(budi), group, m[budi], m[user], "1000")
    second = _record(client_for(budi), other, om[budi], om[user], "2000")
    _record(client_for(budi), group, m[budi], m[citra], "3000")  # not mine
    _record(client_for(user), group, m[budi], m[user], "4000")  # confirmed at once
    r = client_for(user).get("/api/me/payments")
    assert r.status == 200
    items = r.json["items"]
    assert [p["id"] for p in items] == [second["id"], first["id"]]
    assert items[0]["group_id"] == other.pk
    assert items[0]["group_name"] == "Kos"
    assert (items[0]["from_member_name"], items[0]["to_member_name"]) == ("Budi", "Ayu")
    assert items[0]["status"] == "pending"
    assert items[0]["amount"] == "2000"


def test_my_payments_name_who_recorded_each_payment(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    by_sender = _record(client_for(budi), group, m[budi], m[user], "1000")
    by_third = _record(client_for(citra), group, m[budi], m[user], "2000")
    items = {p["id"]: p for p in client_for(user).get("/api/me/payments").json["items"]}
    assert items[by_sender["id"]]["recorded_by_member_name"] == "Budi"
    assert items[by_third["id"]]["recorded_by_member_name"] == "Citra"
    assert items[by_third["id"]]["recorded_by_member_id"] == m[citra].pk
    assert items[by_third["id"]]["from_member_name"] == "Budi"


def test_my_payments_filters_by_direction_and_status(
    user: User, budi: User, citra: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    outgoing = _record(client_for(citra), group, m[user], m[citra], "1000")  # confirmed
    pending_out = _record(client_for(citra), group, m[user], m[budi], "2000")
    client = client_for(user)
    r = client.get("/api/me/payments?direction=outgoing&status=confirmed")
    assert [p["id"] for p in r.json["items"]] == [outgoing["id"]]
    r = client.get("/api/me/payments?direction=outgoing")
    assert [p["id"] for p in r.json["items"]] == [pending_out["id"]]
    assert client.get("/api/me/payments").json["items"] == []
    assert client.get("/api/me/payments?direction=sideways").status == 422
    assert client.get("/api/me/payments?status=lost").status == 422


def test_my_payments_leaves_out_groups_i_left(
    user: User, budi: User, trip: Any, client_for: Any
) -> None:
    group, m = trip
    _record(client_for(budi), group, m[budi], m[user])
    Member.objects.filter(pk=m[user].pk).update(is_active=False)
    assert client_for(user).get("/api/me/payments").json["items"] == []


def test_my_payments_takes_the_same_queries_for_1_or_20_payments(
    user: User, queries: Any, client_for: Any, make_client: Any, overhead: Any
) -> None:
    client = client_for(user)
    senders = [make_user(name=f"Sender {i}") for i in range(20)]
    for i, sender in enumerate(senders):
        group, m = make_group(owner=sender, name=f"Group {i}", users=(user,))
        _record(make_client(sender), group, m[sender], m[user])
        if i == 0:
            client.get("/api/me/payments")
            with queries() as one:
                assert len(client.get("/api/me/payments").json["items"]) == 1
    with queries() as many:
        assert len(client.get("/api/me/payments").json["items"]) == 20
    assert one.count == many.count == overhead(client) + 1
    assert client.get("/api/me/payments?limit=5").json["next_cursor"] is not None


def test_my_payments_needs_a_login(api: Any) -> None:
    assert api.get("/api/me/payments").status == 401


# --- query counts of the writes ----------------------------------------------------------------


@pytest.mark.parametrize("simplify", [True, False])
def test_payment_writes_take_the_same_queries_however_busy_the_group(
    user: User, budi: User, citra: User, client_for: Any, queries: Any, simplify: bool
) -> None:
    group, m = make_group(owner=user, users=(budi, citra), simplify_debts=simplify)
    client, receiver = client_for(user), client_for(citra)
    client.csrf()  # fetched now, not inside the first measured request
    receiver.csrf()

    def counts() -> tuple[int, ...]:
        with queries() as record:
            pending = _record(client, group, m[budi], m[citra], "100")
        with queries() as confirm:
            assert receiver.post(_url(group, f"/{pending['id']}/confirm")).status == 200
        with queries() as delete:
            assert receiver.delete(_url(group, f"/{pending['id']}")).status == 204
        return record.count, confirm.count, delete.count

    add_bill(group, paid={m[user]: 100}, shares={m[budi]: 100})
    quiet = counts()
    for i in range(20):
        add_bill(group, paid={m[citra]: 100 + i}, shares={m[budi]: 50, m[user]: 50 + i})
        _record(client, group, m[user], m[budi], str(10 + i))
    assert counts() == quiet
