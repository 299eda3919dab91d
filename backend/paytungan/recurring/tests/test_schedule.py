"""The schedule's dates: counted from the anchor, the 31st clamps to short months."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from paytungan.recurring.schedule import (
    INTERVALS,
    Interval,
    due_count,
    first_index_on_or_after,
    occurrence,
)


def _dates(start: dt.date, interval: Interval, n: int) -> list[str]:
    return [occurrence(start=start, interval=interval, index=i).isoformat() for i in range(n)]


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    assert _dates(dt.date(2027, 1, 31), "monthly", 5) == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
    assert occurrence(start=dt.date(2027, 1, 31), interval="monthly", index=13) == dt.date(
        2028, 2, 29
    )


def test_monthly_crosses_the_year() -> None:
    assert _dates(dt.date(2026, 11, 15), "monthly", 3) == ["2026-11-15", "2026-12-15", "2027-01-15"]


def test_yearly_on_29_february_falls_on_the_28th_in_other_years() -> None:
    assert _dates(dt.date(2028, 2, 29), "yearly", 5) == [
        "2028-02-29",
        "2029-02-28",
        "2030-02-28",
        "2031-02-28",
        "2032-02-29",
    ]


def test_weekly_is_every_seven_days() -> None:
    assert _dates(dt.date(2026, 12, 28), "weekly", 3) == ["2026-12-28", "2027-01-04", "2027-01-11"]


def test_due_count_counts_the_periods_up_to_today() -> None:
    start = dt.date(2026, 9, 1)
    assert due_count(start=start, interval="monthly", next_index=0, today=dt.date(2026, 8, 31)) == 0
    assert due_count(start=start, interval="monthly", next_index=0, today=start) == 1
    assert due_count(start=start, interval="monthly", next_index=0, today=dt.date(2026, 12, 2)) == 4
    assert due_count(start=start, interval="monthly", next_index=3, today=dt.date(2026, 12, 2)) == 1


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    interval=st.sampled_from(INTERVALS),
    days=st.integers(min_value=-40, max_value=3000),
)
def test_first_index_on_or_after_is_the_first_such_occurrence(
    start: dt.date, interval: Interval, days: int
) -> None:
    day = start + dt.timedelta(days=days)
    index = first_index_on_or_after(start=start, interval=interval, day=day)
    assert occurrence(start=start, interval=interval, index=index) >= day
    if index > 0:
        assert occurrence(start=start, interval=interval, index=index - 1) < day


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    interval=st.sampled_from(INTERVALS),
)
def test_occurrences_strictly_increase(start: dt.date, interval: Interval) -> None:
    dates = [occurrence(start=start, interval=interval, index=i) for i in range(30)]
    assert dates == sorted(set(dates))
    assert dates[0] == start
