"""The local day usage is counted under (ops/usage/day.py): Django's localdate() at every
instant, kept until the next local midnight, also where a DST change moves midnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from paytungan.ops.usage.day import day_and_end, local_today


def _django_day(instant: float, zone: str) -> Any:
    return timezone.localdate(datetime.fromtimestamp(instant, UTC), ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "around"),
    [
        ("Asia/Jakarta", "2026-12-03"),
        # Chile moves its clocks at 24:00: forward (midnight skipped), back (23:00 repeated).
        ("America/Santiago", "2026-09-06"),
        ("America/Santiago", "2026-04-05"),
        ("Europe/London", "2026-03-29"),
        ("Pacific/Kiritimati", "2026-01-01"),
    ],
)
def test_the_day_and_its_end_agree_with_django_around_a_clock_change(
    zone: str, around: str
) -> None:
    start = datetime.fromisoformat(around).replace(tzinfo=UTC) - timedelta(days=2)
    for step in range(0, 4 * 24 * 60, 7):  # four days, every 7 minutes
        instant = (start + timedelta(minutes=step)).timestamp()
        day, end = day_and_end(instant, zone)
        assert day == _django_day(instant, zone), (zone, instant)
        if end > instant:
            # Kept until `end`: still the same day just before, the next day from then on.
            assert _django_day(end - 0.001, zone) == day
            assert _django_day(end, zone) == day + timedelta(days=1)


def test_today_is_django_s_today_in_the_configured_zone(settings: Any) -> None:
    # 25 hours apart: their dates differ at every instant.
    settings.TIME_ZONE = "Pacific/Kiritimati"
    ahead = local_today()
    assert ahead == timezone.localdate()
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    assert local_today() == timezone.localdate() == ahead - timedelta(days=1)
