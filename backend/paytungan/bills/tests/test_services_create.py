"""bill_create's one statement (decision 0027) and the locked path it falls back to whenever
the statement can't decide: a member named not active, a group changed or gone since the
caller's query. Outside a transaction, as in production (the statement is the transaction),
and inside one (a test's, an Idempotency-Key's)."""

from __future__ import annotations

from typing import Any

import pytest

from paytungan.bills import services
from paytungan.bills.models import Bill, BillShare
from paytungan.bills.schemas import BillIn
from paytungan.bills.testing import bills_url, equal_bill
from paytungan.common.errors import Invalid, NotFound
from paytungan.groups.models import Activity, Group, Member, PairDebt

from .conftest import Trip


def _state(trip: Trip) -> tuple[int, int, dict[int, int], int]:
    return (
        Bill.objects.filter(group=trip.group).count(),
        Activity.objects.filter(group=trip.group).count(),
        trip.balances(),
        PairDebt.objects.filter(group=trip.group).count(),
    )


def _leave(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(is_active=False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", [None, "k-1"])
def test_a_member_who_left_gets_the_exact_422_and_nothing_is_written(
    trip: Trip, key: str | None
) -> None:
    """The statement finds Citra inactive: outside a transaction it fails itself (nothing is
    committed), inside the key's it is rolled back; the locked path names her."""
    before = _state(trip)
    _leave(trip.citra)
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], total="3000")
    headers = {"Idempotency-Key": key} if key else {}
    response = trip.client.post(bills_url(trip.group), body, headers=headers)
    assert response.status == 422, response
    assert f"Member {trip.citra.pk} is not an active member" in str(response.json), response.json
    assert _state(trip) == before


def test_a_member_who_left_inside_a_transaction(trip: Trip) -> None:
    before = _state(trip)
    _leave(trip.citra)
    body = equal_bill(payer=trip.ayu, members=[trip.ayu, trip.citra], total="3000")
    assert trip.client.post(bills_url(trip.group), body).status == 422
    assert _state(trip) == before


@pytest.mark.django_db(transaction=True)
def test_a_currency_changed_since_the_caller_was_read_is_the_one_computed_in(trip: Trip) -> None:
    """The caller's query read the group in USD; it is IDR now: the statement writes nothing
    and the locked path computes the bill in the group's currency as locked."""
    me = Member.objects.select_related("group").get(pk=trip.ayu.pk)
    me.group.currency = "USD"  # as read before someone changed it
    data = BillIn(**equal_bill(payer=trip.ayu, members=[trip.ayu, trip.budi], total="3000"))
    saved = services.bill_create(me=me, user=trip.ayu_user, data=data.to_data())
    bill = Bill.objects.get(pk=saved.bill.pk)
    assert (bill.currency, bill.total) == ("IDR", 3000)
    assert saved.bill.group.currency == "IDR"
    assert trip.balances()[trip.budi.pk] == -1500


@pytest.mark.django_db(transaction=True)
def test_a_group_deleted_since_the_caller_was_read_is_404(trip: Trip) -> None:
    me = Member.objects.select_related("group").get(pk=trip.ayu.pk)
    data = BillIn(**equal_bill(payer=trip.ayu, members=[trip.ayu], total="3000")).to_data()
    Group.objects.filter(pk=trip.group.pk).delete()
    with pytest.raises(NotFound):
        services.bill_create(me=me, user=trip.ayu_user, data=data)


@pytest.mark.django_db(transaction=True)
def test_a_bad_bill_is_refused_with_every_error_and_writes_nothing(trip: Trip) -> None:
    me = Member.objects.select_related("group").get(pk=trip.ayu.pk)
    before = _state(trip)
    body: dict[str, Any] = equal_bill(payer=trip.ayu, members=[trip.ayu, 999_999], total="3000")
    with pytest.raises(Invalid) as error:
        services.bill_create(me=me, user=trip.ayu_user, data=BillIn(**body).to_data())
    assert "999999" in str(error.value.details), error.value.details
    assert _state(trip) == before


@pytest.mark.django_db(transaction=True)
def test_the_response_and_the_rows_match(trip: Trip) -> None:
    body = equal_bill(payer=trip.budi, members=[trip.ayu, trip.budi, trip.citra], total="3001")
    out = trip.client.post(bills_url(trip.group), body).json
    again = trip.client.get(bills_url(trip.group, out["id"])).json
    assert out == again
    activity = Activity.objects.get(group=trip.group, verb="bill.created")
    assert activity.target_id == out["id"]
    assert activity.actor_member_id == trip.ayu.pk
    assert sum(trip.balances().values()) == 0
    pairs = {
        (p.debtor_id, p.creditor_id): p.amount for p in PairDebt.objects.filter(group=trip.group)
    }
    # Budi paid; Ayu and Citra owe him their parts (which of the three gets the odd unit
    # depends on the members' ids, so read Budi's own share).
    budi_share = BillShare.objects.get(bill_id=out["id"], member=trip.budi).amount
    assert budi_share in (1000, 1001)
    assert sum(pairs.values()) == 3001 - budi_share
