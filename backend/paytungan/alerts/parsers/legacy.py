"""Sentry's legacy webhook plugin ("WebHooks" in a project's legacy integrations).

Sentry does not sign these, so they are accepted only on a URL carrying ALERT_HOOK_TOKEN. The
body is the group with its latest event: {id, project, project_name, project_slug, logger,
level, culprit, message, url, triggering_rules, event: {... tags, event_id}}.
"""

from __future__ import annotations

from typing import Any

from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.parsers.common import maybe_obj, obj, required_id, tag, text, web_url


def parse(body: Any) -> list[NormalizedAlert]:
    body = obj(body, "body")
    group_id = required_id(body.get("id"), "id")
    project = text(body.get("project_slug")) or text(body.get("project")) or "unknown"
    event = maybe_obj(body.get("event"))
    tags = event.get("tags")
    message = text(body.get("message"))
    title = text(event.get("title")) or message or text(body.get("culprit")) or "Sentry event"
    rules = body.get("triggering_rules")
    return [
        NormalizedAlert(
            source="sentry",
            kind="legacy.triggered",
            project=project,
            issue_key=f"sentry:{project}:{group_id}",
            foldable=True,
            title=title,
            level=text(body.get("level")) or text(event.get("level")) or "error",
            description=message if message and message not in title else "",
            url=web_url(body.get("url")),
            culprit=text(body.get("culprit")),
            environment=text(event.get("environment")) or tag(tags, "environment"),
            release=text(event.get("release")) or tag(tags, "release"),
            request_id=tag(tags, "request_id"),
            rule=", ".join(text(r) for r in rules if text(r)) if isinstance(rules, list) else "",
            occurred_at=text(event.get("datetime")),
        )
    ]
