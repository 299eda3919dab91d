"""The one shape every incoming alert is turned into, whatever sent it.

Parsers produce it from a webhook body; the outbox stores it as JSON; the embed builder renders
it. Nothing here is trusted to fit Discord's limits: the builder truncates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STORED_TEXT = 8192


@dataclass(frozen=True)
class NormalizedAlert:
    source: str  # sentry | uptime | test
    kind: str  # resource.action, e.g. event_alert.triggered, issue.resolved, uptime.open
    project: str  # used for routing (DISCORD_WEBHOOK_ROUTES keys)
    issue_key: str  # same issue -> same key: delivery order and folding
    foldable: bool  # repeats of a firing alert fold; state changes never do
    title: str
    level: str = "error"
    description: str = ""
    url: str = ""
    culprit: str = ""
    environment: str = ""
    release: str = ""
    request_id: str = ""
    short_id: str = ""
    rule: str = ""
    event_count: str = ""  # the issue's total events, as Sentry counts them
    details: list[tuple[str, str]] = field(default_factory=list)  # extra embed fields
    occurred_at: str = ""

    def to_json(self) -> dict[str, Any]:
        # Stored texts are cut well above any Discord limit (the embed builder truncates with a
        # marker), so one giant exception message cannot bloat the outbox.
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = value[:STORED_TEXT]
        data["details"] = [[n[:STORED_TEXT], v[:STORED_TEXT]] for n, v in self.details[:50]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NormalizedAlert:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["details"] = [tuple(pair) for pair in known.get("details") or []]
        return cls(**known)
