from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from paytungan.bills.models import Bill, Category
from paytungan.groups.models import Group, Member


class Interval(models.TextChoices):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


class RecurringBill(models.Model):
    """A bill template with a schedule (docs/decisions/0019-recurring-bills.md).

    `body` keeps the bill's payers, split and total as submitted (decimal strings, the bill API's
    shape), so the scheduled run hands exactly what a person would have typed to the bill
    service. The bill's currency is always the group's. `total` is the computed total in the
    group currency's minor units, for lists. Occurrence `next_index` of the schedule (counted
    from `start_date`, recurring.schedule) is `next_due`, the next bill to create.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    notes = models.TextField(blank=True, default="")
    body = models.JSONField(default=dict)
    total = models.BigIntegerField()
    interval = models.CharField(max_length=10, choices=Interval.choices)
    start_date = models.DateField()
    next_index = models.PositiveIntegerField(default=0)
    next_due = models.DateField()
    is_active = models.BooleanField(default=True)
    # The member the scheduled bills are created by (the activity's actor).
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    last_bill = models.ForeignKey(Bill, on_delete=models.SET_NULL, null=True, related_name="+")
    last_run_at = models.DateTimeField(null=True, blank=True)
    # Why the last scheduled run could not create the bill (a member left, ...); "" when fine.
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Periods passed over because they were older than the catch-up bound.
    skipped_periods = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="recurring_total_positive"),
            models.CheckConstraint(
                condition=Q(interval__in=Interval.values), name="recurring_interval_known"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="recurring_category_known"
            ),
            models.CheckConstraint(
                condition=Q(next_due__gte=models.F("start_date")),
                name="recurring_next_due_from_start",
            ),
        ]
        indexes = [
            # The job's scan: active templates due by today.
            models.Index(
                fields=["next_due"], condition=Q(is_active=True), name="recurring_active_due"
            ),
            models.Index(fields=["group", "id"], name="recurring_group"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.interval})"


class RecurringRun(models.Model):
    """One period of a template turned into a bill: written in the transaction that creates the
    bill, unique per (template, period), so no period ever makes two bills."""

    template = models.ForeignKey(RecurringBill, on_delete=models.CASCADE, related_name="runs")
    period_date = models.DateField()
    bill = models.ForeignKey(Bill, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period_date"], name="recurring_run_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} @ {self.period_date}"
