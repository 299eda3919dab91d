"""What the recorder collects between flushes and the store writes (recorder.py, store.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import DataError, IntegrityError

# Per (day, route): requests, errors, bytes in, bytes out.
Counts = list[int]

# Errors that say "these values can never be written" (out of range, too long): retrying the
# same rows would fail the same way on every flush.
DATA_ERRORS = (DataError, IntegrityError)


@dataclass
class Batch:
    routes: dict[tuple[date, str], Counts] = field(default_factory=dict)
    users: set[tuple[date, int]] = field(default_factory=set)
    requests: int = 0
    # Requests counted since the last drain, not those put back by restore(): what wakes the
    # flush thread, so a batch that keeps failing does not wake it on every request.
    fresh: int = 0

    def __bool__(self) -> bool:
        return bool(self.routes or self.users)
