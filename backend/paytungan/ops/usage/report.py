"""Reads of the usage tables for the report command and the admin page (a few aggregate queries,
whatever the traffic)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from paytungan.ops.usage.models import UsageDay, UsageUser


@dataclass(frozen=True)
class DayRow:
    day: date
    requests: int
    errors: int
    bytes_in: int
    bytes_out: int
    active_users: int


@dataclass(frozen=True)
class RouteRow:
    route: str
    requests: int
    errors: int
    bytes_out: int
    share: float  # of all requests in the period


def _period(days: int, today: date | None) -> tuple[date, date]:
    if days < 1:
        raise ValueError("days must be at least 1")
    end = today or timezone.localdate()
    return end - timedelta(days=days - 1), end


def usage_days(*, days: int, today: date | None = None) -> list[DayRow]:
    """One row per day of the period, oldest first, zeros for days without traffic."""
    start, end = _period(days, today)
    traffic = {
        row["day"]: row
        for row in UsageDay.objects.filter(day__range=(start, end))
        .order_by()
        .values("day")
        .annotate(r=Sum("requests"), e=Sum("errors"), bi=Sum("bytes_in"), bo=Sum("bytes_out"))
    }
    active = dict(
        UsageUser.objects.filter(day__range=(start, end))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        t: dict[str, Any] = dict(traffic.get(day, {}))
        rows.append(
            DayRow(
                day=day,
                requests=t.get("r") or 0,
                errors=t.get("e") or 0,
                bytes_in=t.get("bi") or 0,
                bytes_out=t.get("bo") or 0,
                active_users=active.get(day, 0),
            )
        )
    return rows


def top_routes(*, days: int, limit: int = 10, today: date | None = None) -> list[RouteRow]:
    start, end = _period(days, today)
    rows = list(
        UsageDay.objects.filter(day__range=(start, end))
        .order_by()
        .values("route")
        .annotate(r=Sum("requests"), e=Sum("errors"), bo=Sum("bytes_out"))
        .order_by("-r", "route")[:limit]
    )
    total = UsageDay.objects.filter(day__range=(start, end)).aggregate(t=Sum("requests"))["t"] or 0
    return [
        RouteRow(
            route=row["route"],
            requests=row["r"],
            errors=row["e"],
            bytes_out=row["bo"],
            share=row["r"] / total if total else 0.0,
        )
        for row in rows
    ]


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # unreachable; keeps mypy's return check simple
