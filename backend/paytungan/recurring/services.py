"""Recurring bill writes: the templates (create, update, stop, resume, delete) and the scheduled
run that turns each due period into a bill.

Every write is one transaction that takes the group lock first (groups.locks), like every other
write in a group, and records its activity. A template is validated by the bill code itself
(bills.compute.draft_bill, against the members as they are under the lock), so a template is
valid exactly when the bill it makes would be.

The run (`create_due_bills`) creates each due period's bill through the bill service (the only
bill writer, bills.services.bill_create) and, in the same transaction, the template's
RecurringRun row for that period, unique per (template, period): a second run, concurrent or
later, finds the period taken under the group lock and moves on, and the unique constraint backs
that up. A period whose bill can't be made (a member on it has left) leaves nothing behind (the
bill's savepoint is rolled back), is recorded on the template as `last_error`, and is tried
again on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paytungan.bills.compute import Draft, draft_bill, referenced_member_ids
from paytungan.bills.inputs import BillData
from paytungan.bills.services import bill_create
from paytungan.common.errors import ApiError, Conflict, NotFound
from paytungan.groups.activity import activity_record
from paytungan.groups.locks import lock_group, member_states, write_transaction
from paytungan.groups.models import Group, Member
from paytungan.money import to_decimal_string
from paytungan.recurring import schedule
from paytungan.recurring.models import RecurringBill, RecurringRun

log = logging.getLogger("paytungan.recurring")

# At most this many periods of one template are created by one run; older missed ones are
# skipped (counted in `skipped_periods`), so a long outage or a start date years ago never
# floods a group with bills.
MAX_CATCH_UP = 12

BILL_FIELDS = ("title", "category", "notes", "payers", "split", "total")


# --- templates -------------------------------------------------------------------------------
def _bill_body(values: Mapping[str, Any], *, date: dt.date) -> BillData:
    """The bill a template makes on `date` (its currency the group's)."""
    return BillData.from_json({**{k: values[k] for k in BILL_FIELDS}, "date": date})


def _validated(*, group: Group, values: dict[str, Any], date: dt.date) -> Draft:
    """The template's bill computed against the members as they are now (under the group lock):
    a 422 with the bill's own field errors when it could not be made."""
    data = _bill_body(values, date=date)
    ids = {mid for _, mid in referenced_member_ids(data)}
    active = {mid for mid, m in member_states(group_id=group.pk, ids=ids).items() if m.is_active}
    return draft_bill(group=group, data=data, active_member_ids=active, default_date=date)


def _store(template: RecurringBill, *, values: dict[str, Any], draft: Draft, currency: str) -> None:
    template.title = draft.title
    template.category = draft.category
    template.notes = draft.notes
    template.body = {
        "payers": [
            {
                "member_id": line.member_id,
                "amount": to_decimal_string(line.original_amount, currency),
            }
            for line in draft.payer_lines()
        ],
        "split": draft.split,
        "total": to_decimal_string(draft.original.total, currency),
    }
    template.total = draft.result.total
    template.interval = values["interval"]
    template.start_date = values["start_date"]


def values_of(template: RecurringBill) -> dict[str, Any]:
    """The template as RecurringIn's fields."""
    return {
        "title": template.title,
        "category": template.category,
        "notes": template.notes,
        **template.body,
        "interval": template.interval,
        "start_date": template.start_date,
    }


def _interval(template: RecurringBill) -> schedule.Interval:
    return cast(schedule.Interval, template.interval)


def _restart(template: RecurringBill, *, today: dt.date) -> None:
    """Point the schedule at its first date on or after today (or at the start date)."""
    index = schedule.first_index_on_or_after(
        start=template.start_date, interval=_interval(template), day=today
    )
    template.next_index = index
    template.next_due = schedule.occurrence(
        start=template.start_date, interval=_interval(template), index=index
    )


def _changes(template: RecurringBill, currency: str, **extra: Any) -> dict[str, Any]:
    """The activity's changes, in the diff shape the activity readers know ({"to": ...})."""
    values = {
        "title": template.title,
        "total": to_decimal_string(template.total, currency),
        "interval": template.interval,
        **extra,
    }
    return {key: {"from": None, "to": value} for key, value in values.items()}


def _summary(template: RecurringBill, currency: str) -> str:
    total = to_decimal_string(template.total, currency)
    return f'"{template.title}" ({total} {currency}, {template.interval})'


@write_transaction
def recurring_create(*, me: Member, values: Mapping[str, Any]) -> RecurringBill:
    """A new template; its first bill is on `start_date` (a past start date is caught up by the
    next run, up to MAX_CATCH_UP periods)."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    values = dict(values)
    start_date = values["start_date"]
    draft = _validated(group=group, values=values, date=start_date)
    template = RecurringBill(group=group, created_by=me, next_index=0, next_due=start_date)
    _store(template, values=values, draft=draft, currency=group.currency)
    template.save(force_insert=True)
    activity_record(
        by=me,
        verb="recurring.created",
        target_type="recurring",
        target_id=template.pk,
        summary=f"{me.name} set up a recurring bill {_summary(template, group.currency)}",
        changes=_changes(template, group.currency, start_date=template.start_date.isoformat()),
    )
    return template


def _lock_template(*, group: Group, template_id: int) -> RecurringBill:
    template = (
        RecurringBill.objects.select_for_update(no_key=True)
        .filter(group=group, pk=template_id)
        .first()
    )
    if template is None:
        raise NotFound(_("No such recurring bill."), code="recurring_not_found")
    template.group = group
    return template


@write_transaction
def recurring_update(
    *, me: Member, template: RecurringBill, changes: Mapping[str, Any], today: dt.date
) -> RecurringBill:
    """Change the fields given and validate the whole again. A new interval or start date
    restarts the schedule at its first date on or after today."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    template = _lock_template(group=group, template_id=template.pk)
    values = values_of(template)
    given = {k: v for k, v in changes.items() if v is not None}
    values.update(given)
    draft = _validated(group=group, values=values, date=template.next_due)
    reschedule = (
        values["interval"] != template.interval or values["start_date"] != template.start_date
    )
    _store(template, values=values, draft=draft, currency=group.currency)
    if reschedule:
        _restart(template, today=today)
    # An edit is the fix for a failed run: the next run tries again with the new body. A member
    # who has taken over a template whose creator left becomes the one its bills are by.
    template.last_error, template.last_error_at = "", None
    creator = member_states(
        group_id=group.pk, ids=[template.created_by_id] if template.created_by_id else []
    )
    if not any(m.is_active and m.user_id for m in creator.values()):
        template.created_by = me
    template.save()
    activity_record(
        by=me,
        verb="recurring.updated",
        target_type="recurring",
        target_id=template.pk,
        summary=f"{me.name} edited the recurring bill {_summary(template, group.currency)}",
        changes=_changes(template, group.currency, fields=sorted(given)),
    )
    return template


@write_transaction
def recurring_set_active(
    *, me: Member, template: RecurringBill, active: bool, today: dt.date
) -> RecurringBill:
    """Stop (no more bills) or resume. Resuming starts again at the first date on or after
    today: the periods while it was stopped are not created afterwards."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    template = _lock_template(group=group, template_id=template.pk)
    if template.is_active == active:
        state = "running" if active else "stopped"
        message = (
            _("This recurring bill is already running.")
            if active
            else _("This recurring bill is already stopped.")
        )
        raise Conflict(message, code=f"recurring_already_{state}")
    template.is_active = active
    if active:
        _restart(template, today=today)
        template.last_error, template.last_error_at = "", None
    template.save()
    verb, done = ("recurring.resumed", "resumed") if active else ("recurring.stopped", "stopped")
    activity_record(
        by=me,
        verb=verb,
        target_type="recurring",
        target_id=template.pk,
        summary=f"{me.name} {done} the recurring bill {_summary(template, group.currency)}",
        changes=_changes(template, group.currency),
    )
    return template


@write_transaction
def recurring_delete(*, me: Member, template: RecurringBill) -> None:
    """Delete the template; the bills it made stay."""
    group = lock_group(group_id=me.group_id)
    me.group = group
    template = _lock_template(group=group, template_id=template.pk)
    summary = _summary(template, group.currency)
    changes = _changes(template, group.currency)
    pk = template.pk
    template.delete()
    activity_record(
        by=me,
        verb="recurring.deleted",
        target_type="recurring",
        target_id=pk,
        summary=f"{me.name} deleted the recurring bill {summary}",
        changes=changes,
    )


# --- the scheduled run -----------------------------------------------------------------------
@dataclass
class RunReport:
    created: list[tuple[int, dt.date, int]] = field(default_factory=list)  # template, period, bill
    failed: list[tuple[int, dt.date, str]] = field(default_factory=list)  # template, period, why
    skipped: int = 0  # periods older than the catch-up bound


def create_due_bills(*, today: dt.date, max_catch_up: int = MAX_CATCH_UP) -> RunReport:
    """Create the bill of every due period of every active template (one transaction per bill).
    Safe to run again or concurrently: each period makes at most one bill."""
    report = RunReport()
    due = list(
        RecurringBill.objects.filter(is_active=True, next_due__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for template_id in due:
        # Each step handles the template's next due period; bounded (a safety net beyond the
        # catch-up bound, which the first step applies).
        for _step in range(max_catch_up + 2):
            if not _run_next_period(
                template_id=template_id, today=today, max_catch_up=max_catch_up, report=report
            ):
                break
    return report


@write_transaction
def _run_next_period(
    *, template_id: int, today: dt.date, max_catch_up: int, report: RunReport
) -> bool:
    """Handle the template's next due period; True when there may be another one due."""
    group_id = (
        RecurringBill.objects.filter(pk=template_id).values_list("group_id", flat=True).first()
    )
    if group_id is None:
        return False  # deleted since the scan
    group = lock_group(group_id=group_id)
    template = RecurringBill.objects.select_for_update(no_key=True).filter(pk=template_id).first()
    if template is None or not template.is_active or template.next_due > today:
        return False  # stopped, deleted or already handled by a concurrent run
    template.group = group

    due = schedule.due_count(
        start=template.start_date,
        interval=_interval(template),
        next_index=template.next_index,
        today=today,
    )
    if due > max_catch_up:
        skip = due - max_catch_up
        _advance(template, by=skip)
        template.skipped_periods += skip
        report.skipped += skip
        log.warning(
            "recurring periods skipped",
            extra={"template": template.pk, "skipped": skip, "next_due": str(template.next_due)},
        )

    period = template.next_due
    if RecurringRun.objects.filter(template=template, period_date=period).exists():
        # Made before (a schedule restarted onto a period it had already made): never twice.
        _advance(template, by=1)
        template.save()
        return True

    creator, error = _creator(template)
    saved = None
    if creator is not None and creator.user is not None:
        data = _bill_body(values_of(template), date=period)
        try:
            # A savepoint: a bill that fails after writing its rows leaves none behind.
            with transaction.atomic():
                saved = bill_create(me=creator, user=creator.user, data=data)
        except ApiError as exc:
            error = _describe(exc)
    if saved is None or creator is None:
        template.last_error, template.last_error_at = error, timezone.now()
        template.save()
        report.failed.append((template.pk, period, error))
        log.warning(
            "recurring bill not created",
            extra={"template": template.pk, "period": str(period), "error": error},
        )
        return False

    bill = saved.bill
    RecurringRun.objects.create(template=template, period_date=period, bill=bill)
    total = to_decimal_string(bill.total, group.currency)
    activity_record(
        by=creator,
        verb="recurring.bill_created",
        target_type="bill",
        target_id=bill.pk,
        summary=(
            f'"{template.title}" ({total} {group.currency}) was added by its '
            f"{template.interval} schedule for {period.isoformat()}"
        ),
        changes=_changes(
            template, group.currency, recurring_id=template.pk, period=period.isoformat()
        ),
    )
    template.last_bill = bill
    template.last_run_at = timezone.now()
    template.last_error, template.last_error_at = "", None
    _advance(template, by=1)
    template.save()
    report.created.append((template.pk, period, bill.pk))
    return template.next_due <= today


def _advance(template: RecurringBill, *, by: int) -> None:
    template.next_index += by
    template.next_due = schedule.occurrence(
        start=template.start_date, interval=_interval(template), index=template.next_index
    )


def _creator(template: RecurringBill) -> tuple[Member | None, str]:
    """The member the bills are by, when still an active member with an account."""
    creator = (
        Member.objects.select_related("user").filter(pk=template.created_by_id).first()
        if template.created_by_id
        else None
    )
    if creator is None or not creator.is_active or creator.user is None:
        return None, (
            "The member who set up this recurring bill is no longer in the group; "
            "edit it to take it over."
        )
    return creator, ""


def _describe(exc: ApiError) -> str:
    fields = exc.details.get("fields") or {}
    messages = [m for ms in fields.values() for m in ms]
    return "; ".join([exc.message, *dict.fromkeys(messages)])[:2000]


__all__ = [
    "MAX_CATCH_UP",
    "RunReport",
    "create_due_bills",
    "recurring_create",
    "recurring_delete",
    "recurring_set_active",
    "recurring_update",
    "values_of",
]
