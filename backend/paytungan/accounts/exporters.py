"""A registry of personal-data exporters so accounts needn't import the apps built on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paytungan.accounts.models import User

Exporter = Callable[[User], Any]
_exporters: dict[str, Exporter] = {}


def register(key: str, exporter: Exporter) -> None:
    _exporters[key] = exporter


def collect(*, user: User) -> dict[str, Any]:
    return {key: exporter(user) for key, exporter in sorted(_exporters.items())}
