"""Recurring bill templates under /api/groups/{gid}/recurring (DESIGN.md's bill shape).

A template holds what a bill needs, minus the date (each period's) and the currency (always the
group's), plus its schedule. The bill fields reuse the bill schemas' types, and a template is
validated by the bill code itself (bills.compute.draft_bill), so a template that could not make a
valid bill is a 422 with the same `details.fields` paths as a bill ("payers.0.amount").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from paytungan.bills.schemas import (
    MAX_ROWS,
    BillPayerRowOut,
    CategoryLiteral,
    DecimalText,
    IsoDate,
    PayerIn,
    SplitIn,
    SplitOut,
    Text,
    _strip_required,
)
from paytungan.common.schemas import InSchema, OutSchema

IntervalLiteral = Literal["weekly", "monthly", "yearly"]

Title = Annotated[Text, AfterValidator(_strip_required), Field(max_length=200)]
Notes = Annotated[Text, Field(max_length=2000)]
Payers = Annotated[list[PayerIn], Field(max_length=MAX_ROWS)]


class RecurringIn(InSchema):
    title: Title
    category: CategoryLiteral = "other"
    notes: Notes = ""
    payers: Payers
    split: SplitIn
    total: DecimalText | None = None  # required except for itemized templates
    interval: IntervalLiteral
    # The first bill's date, and the anchor of the schedule: a monthly template on the 31st
    # makes its bill on the last day of shorter months.
    start_date: IsoDate

    def to_values(self) -> dict[str, Any]:
        """The template as the service takes it: the bill's fields in their JSON shape (as
        stored), the interval, and `start_date` as a date."""
        values = self.model_dump(mode="json")
        values["start_date"] = self.start_date
        return values


class RecurringPatchIn(InSchema):
    """Only the fields given change; the result is validated again as a whole. Changing
    `interval` or `start_date` restarts the schedule at its first date on or after today."""

    title: Title | None = None
    category: CategoryLiteral | None = None
    notes: Notes | None = None
    payers: Payers | None = None
    split: SplitIn | None = None
    total: DecimalText | None = None
    interval: IntervalLiteral | None = None
    start_date: IsoDate | None = None

    def to_changes(self) -> dict[str, Any]:
        """The fields given (not null), as `RecurringIn.to_values` shapes them."""
        changes = {
            k: v
            for k, v in self.model_dump(mode="json", exclude_unset=True).items()
            if v is not None
        }
        if self.start_date is not None:
            changes["start_date"] = self.start_date
        return changes


class RecurringOut(OutSchema):
    id: int
    group_id: int
    title: str
    category: CategoryLiteral
    notes: str
    currency: str  # the group's
    total: str
    payers: list[BillPayerRowOut]
    split: SplitOut
    interval: IntervalLiteral
    start_date: dt.date
    next_due: dt.date  # the next bill's date (while stopped: the date it would have)
    status: Literal["active", "stopped"]
    created_by_member_id: int | None
    last_bill_id: int | None
    last_run_at: dt.datetime | None
    last_error: str | None  # why the last scheduled run made no bill (null when it did)
    last_error_at: dt.datetime | None
    skipped_periods: int
    created_at: dt.datetime
    updated_at: dt.datetime


class RecurringListOut(OutSchema):
    items: list[RecurringOut]
