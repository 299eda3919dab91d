"""The local day a request is counted under, worked out once per day instead of per request.

Usage rows are keyed by the day in TIME_ZONE (timezone.localdate(); prune.py cuts by the same
day). Asking Django for it on every request cost a hot read a few microseconds of time zone
lookups; the answer changes only at local midnight, so it is kept until then.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

# (TIME_ZONE, the day, when it ends as a Unix time): replaced as a whole, so a request thread
# never pairs one day with another day's end.
_cached: tuple[str, date, float] = ("", date.min, 0.0)


def local_today() -> date:
    """timezone.localdate(), for the process's time zone (TIME_ZONE)."""
    global _cached
    now = time.time()
    zone_name, day, end = _cached
    if now < end and zone_name == settings.TIME_ZONE:
        return day
    zone_name = settings.TIME_ZONE
    day, end = day_and_end(now, zone_name)
    _cached = (zone_name, day, end)
    return day


def day_and_end(instant: float, zone_name: str) -> tuple[date, float]:
    """The local day at `instant` and the Unix time of the next local midnight. Where a DST
    change skips midnight, the day ends at the change; where it repeats the last hour before
    midnight, the end is already past during that hour, so each call there works it out again
    (and is still right)."""
    zone = ZoneInfo(zone_name)
    day = datetime.fromtimestamp(instant, zone).date()
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).timestamp()
    return day, end
