"""The hand-written hot reads' SQL helpers (common/sql_reads.py)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from paytungan.common.responses import json_bytes
from paytungan.common.sql_reads import json_datetime

pytestmark = pytest.mark.django_db


def _instants() -> list[datetime]:
    rng = random.Random(7)
    start = datetime(2000, 1, 1, tzinfo=UTC)
    fixed = [
        datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        datetime(2026, 11, 20, 10, 0, 0, 1, tzinfo=UTC),
        datetime(2026, 11, 20, 10, 0, 0, 999, tzinfo=UTC),
        datetime(2026, 11, 20, 10, 0, 0, 1000, tzinfo=UTC),
        datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2028, 2, 29, 0, 0, 0, 500000, tzinfo=UTC),
        # Not UTC: the text is still UTC's, as the encoder writes a value read back from the DB.
        datetime(2026, 11, 21, 6, 30, 15, 250000, tzinfo=UTC).astimezone(ZoneInfo("Asia/Jakarta")),
    ]
    drawn = [
        start + timedelta(microseconds=rng.randrange(40 * 365 * 86400 * 10**6)) for _ in range(300)
    ]
    drawn += [d.replace(microsecond=0) for d in drawn[:50]]
    return fixed + drawn


def test_json_datetime_writes_what_the_api_encoder_writes():
    instants = _instants()
    values: list[Any]
    if connection.vendor == "sqlite":
        values = [connection.ops.adapt_datetimefield_value(d) for d in instants]
        cast = "%s"
    else:
        values = instants
        cast = "%s::timestamptz"
    with connection.cursor() as cursor:
        got = []
        for value in values:
            cursor.execute(f"SELECT {json_datetime('t.v')} FROM (SELECT {cast} AS v) t", [value])
            got.append(cursor.fetchone()[0])
    expected = [json.loads(json_bytes(d.astimezone(UTC))) for d in instants]
    assert got == expected
