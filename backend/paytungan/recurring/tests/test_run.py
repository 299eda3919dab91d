"""The scheduled run (`create_recurring_bills`): every due period once, through the bill service."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paytungan.bills.models import Bill, BillShare
from paytungan.bills.testing import bill_balance_oracle
from paytungan.common.testing import ApiClient, make_user, run_together
from paytungan.groups.models import Activity, Member
from paytungan.groups.testing import make_group
from paytungan.recurring.models import RecurringBill, RecurringRun
from paytungan.recurring.services import create_due_bills
from paytungan.recurring.testing import monthly_rent, recurring_url

from .conftest import Trip

D = dt.date.fromisoformat


def _template(trip: Trip, **extra: Any) -> RecurringBill:
    body = monthly_rent(payer=trip.ayu, members=[trip.ayu, trip.budi, trip.citra], **extra)
    response = trip.client.post(recurring_url(trip.group), body)
    assert response.status == 201, response
    return RecurringBill.objects.get(pk=response.json["id"])


def _dates() -> list[str]:
    return [d.isoformat() for d in Bill.objects.order_by("date").values_list("date", flat=True)]


def test_a_due_template_makes_its_bill_through_the_bill_service(trip: Trip) -> None:
    template = _template(trip, start_date="2026-11-01")
    report = create_due_bills(today=D("2026-11-01"))
    bill = Bill.objects.get()
    assert report.created == [(template.pk, D("2026-11-01"), bill.pk)]
    assert (bill.title, bill.date, bill.category, bill.total) == (
        "Sewa rumah",
        D("2026-11-01"),
        "lodging",
        3_000_000,
    )
    assert sorted(BillShare.objects.values_list("amount", flat=True)) == [1_000_000] * 3
    assert trip.balances() == {
        trip.ayu.pk: 2_000_000,
        trip.budi.pk: -1_000_000,
        trip.citra.pk: -1_000_000,
    }
    assert {m: (p, o) for m, (p, o) in bill_balance_oracle(group_id=trip.group.pk).items()} == {
        m.pk: (m.paid, m.owed) for m in Member.objects.filter(group=trip.group)
    }
    template.refresh_from_db()
    assert (template.next_due, template.last_bill_id, template.last_error) == (
        D("2026-12-01"),
        bill.pk,
        "",
    )
    assert RecurringRun.objects.get().period_date == D("2026-11-01")
    verbs = list(Activity.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == ["recurring.created", "bill.created", "recurring.bill_created"]


def test_nothing_is_made_before_the_day(trip: Trip) -> None:
    _template(trip, start_date="2026-11-10")
    assert create_due_bills(today=D("2026-11-09")).created == []
    assert Bill.objects.count() == 0


def test_running_again_makes_no_duplicate(trip: Trip) -> None:
    _template(trip, start_date="2026-11-01")
    create_due_bills(today=D("2026-11-01"))
    again = create_due_bills(today=D("2026-11-01"))
    later = create_due_bills(today=D("2026-11-30"))
    assert again.created == later.created == []
    assert Bill.objects.count() == 1


def test_missed_periods_are_caught_up(trip: Trip) -> None:
    _template(trip, start_date="2026-08-31")
    report = create_due_bills(today=D("2026-12-02"))
    assert len(report.created) == 4
    assert _dates() == ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]


def test_catch_up_is_bounded_and_the_older_periods_are_skipped(trip: Trip) -> None:
    template = _template(trip, start_date="2026-01-05", interval="weekly")
    report = create_due_bills(today=D("2026-12-02"), max_catch_up=3)
    assert _dates() == ["2026-11-16", "2026-11-23", "2026-11-30"]
    template.refresh_from_db()
    assert report.skipped == template.skipped_periods == 45
    assert template.next_due == D("2026-12-07")


def test_a_stopped_template_makes_nothing(trip: Trip) -> None:
    template = _template(trip, start_date="2026-11-01")
    trip.client.post(recurring_url(trip.group, template.pk, "/stop"))
    assert create_due_bills(today=D("2026-11-05")).created == []
    assert Bill.objects.count() == 0


def test_a_member_who_left_fails_the_run_on_the_template_with_nothing_written(
    trip: Trip,
) -> None:
    template = _template(trip, start_date="2026-11-01")
    Member.objects.filter(pk=trip.citra.pk).update(is_active=False)
    before = (Activity.objects.count(), trip.balances())
    report = create_due_bills(today=D("2026-11-01"))
    assert report.created == []
    assert [(t, p) for t, p, _ in report.failed] == [(template.pk, D("2026-11-01"))]
    assert Bill.objects.count() == RecurringRun.objects.count() == 0
    assert (Activity.objects.count(), trip.balances()) == before
    template.refresh_from_db()
    assert f"Member {trip.citra.pk}" in template.last_error
    assert template.next_due == D("2026-11-01")  # tried again next time
    detail = trip.client.get(recurring_url(trip.group, template.pk)).json
    assert detail["last_error"] == template.last_error

    # Taking Citra off the template is the fix: the missed period is made on the next run.
    split = {"mode": "equal", "members": [{"member_id": trip.ayu.pk}, {"member_id": trip.budi.pk}]}
    assert trip.client.patch(recurring_url(trip.group, template.pk), {"split": split}).status == 200
    assert len(create_due_bills(today=D("2026-11-02")).created) == 1
    template.refresh_from_db()
    assert template.last_error == ""


def test_a_creator_who_left_fails_until_someone_takes_it_over(trip: Trip, make_client: Any) -> None:
    body = monthly_rent(payer=trip.budi, members=[trip.budi, trip.citra], start_date="2026-11-01")
    template_id = trip.client.post(recurring_url(trip.group), body).json["id"]
    Member.objects.filter(pk=trip.ayu.pk).update(is_active=False)
    report = create_due_bills(today=D("2026-11-01"))
    assert len(report.failed) == 1
    assert "no longer in the group" in report.failed[0][2]
    budi: ApiClient = make_client(trip.budi_user)
    assert budi.patch(recurring_url(trip.group, template_id), {"notes": "mine"}).status == 200
    assert RecurringBill.objects.get().created_by_id == trip.budi.pk
    assert len(create_due_bills(today=D("2026-11-01")).created) == 1


def test_the_command_prints_what_it_did(trip: Trip) -> None:
    _template(trip, start_date="2026-11-01")
    out = StringIO()
    call_command("create_recurring_bills", "--today", "2026-12-01", stdout=out)
    assert "2 created, 0 failed, 0 skipped" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("create_recurring_bills", "--today", "yesterday")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_make_each_bill_once() -> None:
    users = [make_user(name=f"U{i}") for i in range(3)]
    groups = []
    for g in range(2):
        group, m = make_group(owner=users[0], users=users[1:], name=f"G{g}")
        client = ApiClient().login(users[0])
        for start in ("2026-09-30", "2026-11-15"):
            body = monthly_rent(payer=m[users[0]], members=[m[u] for u in users], start_date=start)
            assert client.post(recurring_url(group), body).status == 201
        groups.append(group)
    today = D("2026-12-02")
    reports = run_together([lambda: create_due_bills(today=today) for _ in range(2)])
    for report in reports:
        assert not isinstance(report, BaseException), report
    created = sorted(c for report in reports for c in report.created)
    # Per group: 30 Sep, 31 Oct, 30 Nov (first template) and 15 Nov (second): 8 bills in all,
    # each made by exactly one of the two runs.
    assert len(created) == Bill.objects.count() == RecurringRun.objects.count() == 8
    assert len({(t, p) for t, p, _ in created}) == 8
    for group in groups:
        oracle = bill_balance_oracle(group_id=group.pk)
        assert oracle == {m.pk: (m.paid, m.owed) for m in Member.objects.filter(group=group)}
