"""The one shape every incoming alert is turned into, whatever sent it.

Parsers produce it from a webhook body; the outbox stores it as JSON; the embed builder renders
it. Nothing here is trusted to fit Discord's limits: the builder truncates.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

STORED_TEXT = 8192
ISSUE_KEY = 255  # Alert.issue_key / AlertIssue.key

# What PostgreSQL cannot store (NUL in text or JSONB, a lone UTF-16 surrogate that json.loads
# lets through) and other control characters that only garble a message; tab and newline stay.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def safe_text(value: str) -> str:
    """`value` with every unsafe character replaced by U+FFFD (visible, so nothing vanishes
    silently)."""
    return _UNSAFE.sub("\ufffd", value)


def bounded_key(key: str) -> str:
    """An issue key that fits its column: a long one keeps its start and gets a digest of the
    whole, so distinct issues stay distinct."""
    if len(key) <= ISSUE_KEY:
        return key
    return f"{key[:200]}~{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}"


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

    def cleaned(self) -> NormalizedAlert:
        """The same alert with texts the database and Discord accept (stored safely rather
        than refused: an alert with a NUL in its message is still an alert)."""
        changes: dict[str, Any] = {
            f.name: safe_text(getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), str)
        }
        changes["issue_key"] = bounded_key(changes["issue_key"])
        changes["details"] = [(safe_text(n), safe_text(v)) for n, v in self.details]
        return replace(self, **changes)

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
