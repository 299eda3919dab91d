from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from paytungan.ops.usage import report
from paytungan.ops.usage.chart import bar_chart_svg
from paytungan.ops.usage.models import UsageDay

CHART_DAYS = 30


@admin.register(UsageDay)
class UsageDayAdmin(admin.ModelAdmin):
    """Read-only: the rows are counters written by the app; the page adds the dashboard charts."""

    list_display = ("day", "route", "requests", "errors", "bytes_in", "bytes_out")
    date_hierarchy = "day"
    search_fields = ("route",)
    ordering = ("-day", "-requests")
    change_list_template = "admin/usage/usageday/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        days = report.usage_days(days=CHART_DAYS)
        labels = [d.day.strftime("%d %b") for d in days]
        charts = [
            bar_chart_svg(title=title, labels=labels, values=[getter(d) for d in days])
            for title, getter in (
                ("Requests per day", lambda d: d.requests),
                ("Active users per day", lambda d: d.active_users),
                ("Megabytes out per day", lambda d: d.bytes_out / 1_000_000),
            )
        ]
        totals = {
            "requests": sum(d.requests for d in days),
            "errors": sum(d.errors for d in days),
            "bytes_in": report.human_bytes(sum(d.bytes_in for d in days)),
            "bytes_out": report.human_bytes(sum(d.bytes_out for d in days)),
        }
        context = {
            **(extra_context or {}),
            "usage_days": CHART_DAYS,
            "usage_charts": charts,
            "usage_totals": totals,
            "usage_top_routes": report.top_routes(days=CHART_DAYS, limit=10),
        }
        response = super().changelist_view(request, extra_context=context)
        assert isinstance(response, TemplateResponse)
        return response
