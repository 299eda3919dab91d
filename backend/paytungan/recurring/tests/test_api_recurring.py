"""/api/groups/{gid}/recurring: create, list, get, edit, stop/resume, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from paytungan.bills.models import Bill
from paytungan.common.testing import ApiClient, assert_error_shape, make_user
from paytungan.groups.models import Activity
from paytungan.recurring.models import RecurringBill
from paytungan.recurring.testing import monthly_rent, recurring_url

from .conftest import Trip


def _rent(trip: Trip, **extra: Any) -> dict[str, Any]:
    return monthly_rent(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], **extra)


def _create(trip: Trip, **extra: Any) -> dict[str, Any]:
    response = trip.client.post(recurring_url(trip.group), _rent(trip, **extra))
    assert response.status == 201, response
    return response.json


def test_create_returns_the_template_with_its_schedule(trip: Trip) -> None:
    body = _create(trip, start_date="2027-01-31")
    assert body["title"] == "Sewa rumah"
    assert body["category"] == "lodging"
    assert body["currency"] == "IDR"
    assert body["total"] == "3000000"
    assert body["payers"] == [{"member_id": trip.ayu.pk, "amount": "3000000"}]
    assert body["split"]["mode"] == "equal"
    assert [m["member_id"] for m in body["split"]["members"]] == [
        trip.ayu.pk,
        trip.budi.pk,
        trip.citra.pk,
    ]
    assert (body["interval"], body["start_date"], body["next_due"]) == (
        "monthly",
        "2027-01-31",
        "2027-01-31",
    )
    assert body["status"] == "active"
    assert body["created_by_member_id"] == trip.ayu.pk
    assert body["last_error"] is None
    assert Bill.objects.count() == 0  # the bill comes from the scheduled run
    activity = Activity.objects.get()
    assert (activity.verb, activity.target_type, activity.target_id) == (
        "recurring.created",
        "recurring",
        body["id"],
    )


@pytest.mark.parametrize("mode", ["exact", "percent", "shares"])
def test_every_split_of_one_amount_is_accepted(trip: Trip, mode: str) -> None:
    values = {"exact": ["1000", "2000"], "percent": ["25", "75"], "shares": ["1", "3"]}[mode]
    split = {
        "mode": mode,
        "members": [
            {"member_id": trip.ayu.pk, "value": values[0]},
            {"member_id": trip.budi.pk, "value": values[1]},
        ],
    }
    body = _rent(trip, total="3000", payers=[{"member_id": trip.budi.pk, "amount": "3000"}])
    body["split"] = split
    response = trip.client.post(recurring_url(trip.group), body)
    assert response.status == 201, response
    assert response.json["split"]["members"][1]["value"] == values[1]


def test_a_template_that_cannot_make_a_valid_bill_is_422_with_the_bill_paths(trip: Trip) -> None:
    bad = _rent(trip, payers=[{"member_id": trip.ayu.pk, "amount": "100"}])
    response = trip.client.post(recurring_url(trip.group), bad)
    error = assert_error_shape(response, 422)
    assert "payers" in " ".join(error["details"]["fields"])
    stranger = _rent(trip)
    stranger["split"]["members"].append({"member_id": 999_999})
    error = assert_error_shape(trip.client.post(recurring_url(trip.group), stranger), 422)
    assert "split.members.3.member_id" in error["details"]["fields"]
    assert RecurringBill.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"interval": "daily"}, "interval"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": 20261101}, "start_date"),
        ({"total": 3000000}, "total"),
        ({"total": "12.5"}, None),
        ({"title": "  "}, "title"),
        ({"currency": "USD"}, "currency"),
    ],
)
def test_bad_input_is_422(trip: Trip, change: dict[str, Any], field: str | None) -> None:
    response = trip.client.post(recurring_url(trip.group), {**_rent(trip), **change})
    error = assert_error_shape(response, 422)
    if field is not None:
        assert any(path.startswith(field) for path in error["details"]["fields"]), error


def test_bad_json_is_400(trip: Trip) -> None:
    response = trip.client.request(
        "POST", recurring_url(trip.group), raw="{", content_type="application/json"
    )
    assert_error_shape(response, 400)


@pytest.mark.parametrize("body", [{}, {"title": 5}, "valid"])
def test_a_non_member_gets_404_on_every_route(trip: Trip, make_client: Any, body: Any) -> None:
    template = _create(trip)
    outsider: ApiClient = make_client(make_user(name="Eko"))
    payload = _rent(trip) if body == "valid" else body
    routes = [
        ("GET", recurring_url(trip.group)),
        ("POST", recurring_url(trip.group)),
        ("GET", recurring_url(trip.group, template["id"])),
        ("PATCH", recurring_url(trip.group, template["id"])),
        ("POST", recurring_url(trip.group, template["id"], "/stop")),
        ("POST", recurring_url(trip.group, template["id"], "/resume")),
        ("DELETE", recurring_url(trip.group, template["id"])),
    ]
    for method, url in routes:
        response = outsider.request(method, url, body=None if method == "GET" else payload)
        assert_error_shape(response, 404, "group_not_found")
    assert RecurringBill.objects.get().is_active


def test_a_template_of_another_group_is_404_through_this_group(trip: Trip) -> None:
    from paytungan.groups.testing import make_group

    other, m = make_group(owner=trip.ayu_user, name="Kos")
    theirs = trip.client.post(
        recurring_url(other), monthly_rent(payer=m[trip.ayu_user], members=[m[trip.ayu_user]])
    ).json
    response = trip.client.get(recurring_url(trip.group, theirs["id"]))
    assert_error_shape(response, 404, "recurring_not_found")


def test_create_honours_the_idempotency_key(trip: Trip) -> None:
    headers = {"Idempotency-Key": "rent-1"}
    first = trip.client.post(recurring_url(trip.group), _rent(trip), headers=headers)
    again = trip.client.post(recurring_url(trip.group), _rent(trip), headers=headers)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert RecurringBill.objects.count() == 1
    other = trip.client.post(recurring_url(trip.group), _rent(trip, total="1"), headers=headers)
    assert_error_shape(other, 422, "idempotency_key_reused")
    assert RecurringBill.objects.count() == 1


def test_list_get_and_query_counts(trip: Trip, queries: Any) -> None:
    trip.client.get(recurring_url(trip.group))  # warm the session
    first = _create(trip, start_date="2027-03-01")
    with queries() as few:
        assert trip.client.get(recurring_url(trip.group)).status == 200
    for day in ("2027-01-05", "2027-02-01", "2027-01-20"):
        _create(trip, start_date=day)
    with queries() as many:
        listed = trip.client.get(recurring_url(trip.group)).json["items"]
    # session, user with membership; the templates
    assert few.count == many.count == 3
    assert [t["next_due"] for t in listed] == [
        "2027-01-05",
        "2027-01-20",
        "2027-02-01",
        "2027-03-01",
    ]
    with queries() as detail:
        got = trip.client.get(recurring_url(trip.group, first["id"]))
    assert got.json == first
    assert detail.count == 3


def test_create_query_count(trip: Trip, queries: Any) -> None:
    _create(trip)
    with queries() as counter:
        _create(trip)
    # session, user with membership; savepoint and release (the test's transaction); group
    # lock, member states, insert, activity
    assert counter.count == 8


def test_patch_changes_the_fields_given_and_validates_the_whole(trip: Trip) -> None:
    template = _create(trip)
    url = recurring_url(trip.group, template["id"])
    response = trip.client.patch(url, {"title": "Sewa kos", "notes": "Transfer ke Ayu"})
    assert response.status == 200, response
    assert (response.json["title"], response.json["notes"]) == ("Sewa kos", "Transfer ke Ayu")
    assert response.json["total"] == "3000000"
    # The total alone no longer matches the payers: the bill's own 422.
    error = assert_error_shape(trip.client.patch(url, {"total": "4000000"}), 422)
    assert error["details"]["fields"]
    both = {"total": "4000000", "payers": [{"member_id": trip.budi.pk, "amount": "4000000"}]}
    response = trip.client.patch(url, both)
    assert response.status == 200, response
    assert response.json["total"] == "4000000"
    assert response.json["next_due"] == template["next_due"]  # the schedule did not change
    assert_error_shape(trip.client.patch(url, {"interval": "hourly"}), 422)
    assert_error_shape(trip.client.patch(url, {"bogus": 1}), 422)
    assert Activity.objects.filter(verb="recurring.updated").count() == 2


def test_patch_of_the_schedule_restarts_it_on_or_after_today(trip: Trip) -> None:
    template = _create(trip, start_date="2026-01-31")
    url = recurring_url(trip.group, template["id"])
    response = trip.client.patch(url, {"interval": "weekly", "start_date": "2026-01-05"})
    assert response.status == 200, response
    next_due = dt.date.fromisoformat(response.json["next_due"])
    today = timezone.localdate()
    assert today <= next_due < today + dt.timedelta(days=7)
    assert next_due.weekday() == dt.date(2026, 1, 5).weekday()


def test_stop_and_resume(trip: Trip) -> None:
    template = _create(trip, start_date="2026-01-15")
    url = recurring_url(trip.group, template["id"])
    stopped = trip.client.post(url + "/stop")
    assert stopped.status == 200, stopped
    assert stopped.json["status"] == "stopped"
    assert_error_shape(trip.client.post(url + "/stop"), 409, "recurring_already_stopped")
    resumed = trip.client.post(url + "/resume")
    assert resumed.json["status"] == "active"
    # The stopped periods are not made up: the next date is on or after today.
    assert dt.date.fromisoformat(resumed.json["next_due"]) >= timezone.localdate()
    assert dt.date.fromisoformat(resumed.json["next_due"]).day == 15
    assert_error_shape(trip.client.post(url + "/resume"), 409, "recurring_already_running")
    verbs = list(Activity.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == ["recurring.created", "recurring.stopped", "recurring.resumed"]


def test_delete_keeps_the_bills_it_made(trip: Trip) -> None:
    from paytungan.recurring.services import create_due_bills

    template = _create(trip, start_date="2026-11-01")
    create_due_bills(today=dt.date(2026, 11, 1))
    url = recurring_url(trip.group, template["id"])
    assert trip.client.delete(url).status == 204
    assert_error_shape(trip.client.get(url), 404, "recurring_not_found")
    assert Bill.objects.count() == 1
    assert Activity.objects.filter(verb="recurring.deleted").count() == 1


def test_any_member_may_manage_a_template(trip: Trip, make_client: Any) -> None:
    template = _create(trip)
    budi: ApiClient = make_client(trip.budi_user)
    url = recurring_url(trip.group, template["id"])
    assert budi.patch(url, {"title": "Sewa"}).status == 200
    assert budi.post(url + "/stop").status == 200
    assert budi.delete(url).status == 204


def test_write_query_counts(trip: Trip, queries: Any) -> None:
    template = _create(trip)
    url = recurring_url(trip.group, template["id"])
    with queries() as patch:
        assert trip.client.patch(url, {"title": "Sewa kos"}).status == 200
    with queries() as stop:
        assert trip.client.post(url + "/stop").status == 200
    with queries() as delete:
        assert trip.client.delete(url).status == 204
    # session, user with membership, the template; savepoint and release (the test's
    # transaction); the group lock, the template lock; then the write's own
    assert patch.count == 11  # + member states (validation), creator's state, UPDATE, activity
    assert stop.count == 9  # + UPDATE, activity
    assert delete.count == 10  # + the runs' and the template's DELETE, activity


@pytest.mark.parametrize(
    ("locale", "running", "stopped", "missing"),
    [
        (
            "id",
            "Tagihan berulang ini sudah berjalan.",
            "Tagihan berulang ini sudah dihentikan.",
            "Tagihan berulang tidak ditemukan.",
        ),
        (
            "en",
            "This recurring bill is already running.",
            "This recurring bill is already stopped.",
            "No such recurring bill.",
        ),
    ],
)
def test_messages_are_in_the_callers_language(
    trip: Trip, locale: str, running: str, stopped: str, missing: str
) -> None:
    trip.ayu_user.locale = locale
    trip.ayu_user.save()
    url = recurring_url(trip.group, _create(trip)["id"])
    assert trip.client.post(url + "/resume").json["error"]["message"] == running
    assert trip.client.post(url + "/stop").status == 200
    assert trip.client.post(url + "/stop").json["error"]["message"] == stopped
    gone = trip.client.get(recurring_url(trip.group, 10**9))
    assert gone.json["error"]["message"] == missing
