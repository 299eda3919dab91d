from __future__ import annotations

from types import SimpleNamespace

import pytest

from paytungan.accounts import throttle

NOW = 1_800_000_000.0  # the start of a 15-minute (and of a 1-minute) window


@pytest.fixture
def frozen_time(monkeypatch):
    """Time frozen inside a throttle window, so a test never straddles a window boundary."""
    clock = SimpleNamespace(now=NOW + 5)
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: clock.now))
    return clock
