"""Discord embeds for outbox rows, and packing them into messages within Discord's limits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from paytungan.alerts import limits
from paytungan.alerts.normalized import NormalizedAlert

T = TypeVar("T")

COLOURS = {
    "fatal": 0x8E1B1B,
    "error": 0xE03E2F,
    "warning": 0xF2A900,
    "info": 0x3B82F6,
    "debug": 0x9CA3AF,
    "resolved": 0x2EB67D,
}
USERNAME = "Paytungan alerts"


def span_text(seconds: float) -> str:
    if seconds < 60:
        return f"{max(int(seconds), 1)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds / 3600, 1):g} h"


def events_text(count: int, first_seen: datetime, last_seen: datetime, total: str) -> str:
    text = f"x{count} in {span_text((last_seen - first_seen).total_seconds())}" if count > 1 else ""
    if total:
        text = f"{text} · {total} in Sentry" if text else f"{total} in Sentry"
    return text


def build_embed(
    alert: NormalizedAlert,
    *,
    count: int = 1,
    first_seen: datetime,
    last_seen: datetime,
    plain: bool = False,
) -> dict[str, Any]:
    """One embed for one outbox row. `plain` is the fallback after Discord refused the full
    one: title, colour and link only."""
    embed: dict[str, Any] = {
        "title": limits.clip(_title(alert) or "(no title)", limits.TITLE),
        "color": COLOURS.get(alert.level, COLOURS["error"]),
        "timestamp": last_seen.isoformat(),
    }
    if alert.url and limits.ulen(alert.url) <= limits.URL:
        embed["url"] = alert.url
    if plain:
        if count > 1:
            embed["description"] = events_text(count, first_seen, last_seen, "")
        return embed
    if alert.description:
        embed["description"] = limits.clip(alert.description, limits.DESCRIPTION)
    fields = [
        ("Level", alert.level, True),
        ("Environment", alert.environment, True),
        ("Release", alert.release, True),
        ("Events", events_text(count, first_seen, last_seen, alert.event_count), True),
        ("Request ID", f"`{alert.request_id}`" if alert.request_id else "", True),
        ("Rule", alert.rule, True),
        ("Culprit", alert.culprit, False),
        *((name, value, True) for name, value in alert.details),
    ]
    embed["fields"] = [
        {
            "name": limits.clip(name, limits.FIELD_NAME),
            "value": limits.clip(value, limits.FIELD_VALUE),
            "inline": inline,
        }
        for name, value, inline in fields
        if name and value
    ][: limits.FIELDS]
    footer = " · ".join(p for p in (alert.source, alert.project, alert.short_id) if p)
    embed["footer"] = {"text": limits.clip(footer, limits.FOOTER)}
    return limits.fit_embed(embed)


def _title(alert: NormalizedAlert) -> str:
    return f"[{alert.project}] {alert.title}" if alert.project else alert.title


def message(embeds: list[dict[str, Any]], content: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": USERNAME,
        "embeds": embeds,
        # Alert text comes from error messages: it must never ping @everyone or a role.
        "allowed_mentions": {"parse": []},
    }
    if content:
        body["content"] = limits.clip(content, limits.CONTENT)
    return body


def pack(items: Iterable[tuple[T, dict[str, Any]]]) -> list[tuple[list[T], list[dict[str, Any]]]]:
    """Groups (key, embed) pairs, in order, into messages of at most 10 embeds and 6000
    characters. Each embed is already within 6000 on its own."""
    messages: list[tuple[list[T], list[dict[str, Any]]]] = []
    keys: list[T] = []
    embeds: list[dict[str, Any]] = []
    size = 0
    for key, embed in items:
        grow = limits.embed_size(embed)
        if embeds and (
            len(embeds) >= limits.EMBEDS_PER_MESSAGE or size + grow > limits.EMBED_TOTAL
        ):
            messages.append((keys, embeds))
            keys, embeds, size = [], [], 0
        keys.append(key)
        embeds.append(embed)
        size += grow
    if embeds:
        messages.append((keys, embeds))
    return messages
