"""Discord's message and embed limits, and truncation that respects them.

Discord answers 400 to a message over any limit, and a 400 is never retried into success, so
every text is cut to its limit here, with a visible marker. Lengths are counted in UTF-16 code
units (as Discord's JavaScript does), so an emoji counts as two and a cut never lands inside one.
"""

from __future__ import annotations

from typing import Any

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000  # title + description + field names/values + footer + author, all embeds
CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
USERNAME = 80
URL = 2048

MARKER = "… [truncated]"


def ulen(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    if ulen(text) <= limit:
        return text
    marker = MARKER if ulen(MARKER) < limit else MARKER[: max(limit - 1, 0)]
    budget = limit - ulen(marker)
    out: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > budget:
            break
        out.append(char)
        used += width
    return "".join(out) + marker


def embed_size(embed: dict[str, Any]) -> int:
    """The characters that count towards EMBED_TOTAL."""
    size = ulen(embed.get("title", "")) + ulen(embed.get("description", ""))
    for field in embed.get("fields", []):
        size += ulen(field["name"]) + ulen(field["value"])
    size += ulen(embed.get("footer", {}).get("text", ""))
    size += ulen(embed.get("author", {}).get("name", ""))
    return size


def fit_embed(embed: dict[str, Any], budget: int = EMBED_TOTAL) -> dict[str, Any]:
    """Cuts an embed (already within its per-part limits) down to `budget` in total: the
    description gives way first, then the longest field values, then fields from the end."""
    excess = embed_size(embed) - budget
    if excess > 0 and embed.get("description"):
        keep = max(ulen(embed["description"]) - excess, ulen(MARKER) + 1)
        embed["description"] = clip(embed["description"], keep)
        excess = embed_size(embed) - budget
    fields = embed.get("fields", [])
    while excess > 0 and fields:
        longest = max(fields, key=lambda f: ulen(f["value"]))
        if ulen(longest["value"]) > 64:
            keep = max(ulen(longest["value"]) - excess, 64)
            longest["value"] = clip(longest["value"], keep)
        else:
            fields.pop()
        excess = embed_size(embed) - budget
    if excess > 0:
        embed["title"] = clip(
            embed.get("title", ""), max(ulen(embed.get("title", "")) - excess, 16)
        )
        embed.pop("footer", None)
    return embed
