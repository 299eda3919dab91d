"""When a recurring bill falls due: pure date arithmetic (no Django).

Occurrence k of a template is counted from its anchor (start) date, never from the previous
occurrence, so a monthly bill anchored on the 31st falls on the last day of a shorter month
(30 April, 28 or 29 February) and comes back to the 31st in May. A yearly bill anchored on
29 February falls on 28 February in other years.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

Interval = Literal["weekly", "monthly", "yearly"]
INTERVALS: tuple[Interval, ...] = ("weekly", "monthly", "yearly")


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def occurrence(*, start: dt.date, interval: Interval, index: int) -> dt.date:
    """The `index`-th (0-based) date of the schedule."""
    if index < 0:
        raise ValueError("index must be >= 0")
    if interval == "weekly":
        return start + dt.timedelta(days=7 * index)
    if interval == "monthly":
        months = start.year * 12 + (start.month - 1) + index
        return _clamped(months // 12, months % 12 + 1, start.day)
    if interval == "yearly":
        return _clamped(start.year + index, start.month, start.day)
    raise ValueError(f"unknown interval {interval!r}")


def first_index_on_or_after(*, start: dt.date, interval: Interval, day: dt.date) -> int:
    """The smallest index whose occurrence is on or after `day`."""
    if day <= start:
        return 0
    if interval == "weekly":
        return -(-(day - start).days // 7)
    if interval == "monthly":
        guess = (day.year * 12 + day.month) - (start.year * 12 + start.month)
    else:
        guess = day.year - start.year
    index = max(guess - 1, 0)
    while occurrence(start=start, interval=interval, index=index) < day:
        index += 1
    return index


def due_count(*, start: dt.date, interval: Interval, next_index: int, today: dt.date) -> int:
    """How many occurrences from `next_index` on fall on or before `today`."""
    after_today = first_index_on_or_after(
        start=start, interval=interval, day=today + dt.timedelta(days=1)
    )
    return max(after_today - next_index, 0)
