"""The caller of a safe request (GET/HEAD), as `load_caller` read it, kept in process memory.

An entry is the raw row of `load_caller` (user, token and membership of one group) and lives at
most `CALLER_CACHE_SECONDS`. It is dropped as soon as PostgreSQL reports a change to that user,
their tokens, that group or its members (common/db_changes.py), and the whole cache is bypassed
while those reports are not known to arrive. So a revoked token, a password change, a removed
member or a renamed group is seen by every instance within the notice's delivery (milliseconds),
and within `STALE_AFTER_SECONDS` even when the listener's connection silently fails. Writes never
use it: they read the caller fresh inside their transaction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

from paytungan.common.db_changes import ChangeListener, payload_ids
from paytungan.common.db_changes import listener as default_listener

MAX_ENTRIES = 10_000

Row = tuple[Any, ...]
T = TypeVar("T")


class _Entry:
    __slots__ = ("derived", "expires", "group_id", "row", "user_id")

    def __init__(self, expires: float, row: Row, user_id: int, group_id: int | None) -> None:
        self.expires = expires
        self.row = row
        self.user_id = user_id
        self.group_id = group_id
        self.derived: Any = None


class CallerCache:
    def __init__(
        self, *, listener: ChangeListener, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._listener = listener
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Hashable, _Entry] = {}
        self._by_user: dict[int, set[Hashable]] = {}
        self._by_group: dict[int, set[Hashable]] = {}
        listener.subscribe(self._on_change)

    def _ttl(self) -> float:
        return float(getattr(settings, "CALLER_CACHE_SECONDS", 0))

    def enabled(self) -> bool:
        return self._ttl() > 0 and self._listener.healthy()

    def get(self, key: Hashable) -> Row | None:
        with self._lock:
            found = self._entries.get(key)
        if found is None or found.expires <= self._clock():
            return None
        return found.row

    def derived(self, key: Hashable, build: Callable[[Row], T]) -> T | None:
        """What `build` makes of the live entry's row, built on the entry's first use and kept
        with it (so dropped with it); None when there is no live entry. For readers that only
        read what they get (hot_reads.py): every caller of the entry shares the one object."""
        with self._lock:
            found = self._entries.get(key)
        if found is None or found.expires <= self._clock():
            return None
        value = found.derived
        if value is None:
            # Two threads may both build it: the same value from the same row, one is kept.
            value = found.derived = build(found.row)
        return value

    def generation(self) -> int:
        return self._listener.generation()

    def put(
        self, key: Hashable, row: Row, *, user_id: int, group_id: int | None, generation: int
    ) -> None:
        """Keep `row`, unless a change was reported since `generation` was read (before the
        query that produced it): the row may predate that change."""
        expires = self._clock() + self._ttl()
        with self._lock:
            if self._listener.generation() != generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._clear()
            self._entries[key] = _Entry(expires, row, user_id, group_id)
            self._by_user.setdefault(user_id, set()).add(key)
            if group_id is not None:
                self._by_group.setdefault(group_id, set()).add(key)

    def _on_change(self, payload: str) -> None:
        kind, ident = payload_ids(payload)
        with self._lock:
            if kind == "u":
                keys = self._by_user.pop(ident, set())
            elif kind == "g":
                keys = self._by_group.pop(ident, set())
            else:
                self._clear()
                return
            for key in keys:
                entry = self._entries.pop(key, None)
                if entry is None:
                    continue
                self._by_user.get(entry.user_id, set()).discard(key)
                if entry.group_id is not None:
                    self._by_group.get(entry.group_id, set()).discard(key)

    def _clear(self) -> None:
        self._entries.clear()
        self._by_user.clear()
        self._by_group.clear()

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def __len__(self) -> int:
        return len(self._entries)


caller_cache = CallerCache(listener=default_listener)
