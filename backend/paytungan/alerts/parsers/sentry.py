"""Sentry integration-platform webhooks (`Sentry-Hook-Resource`), as documented at
docs.sentry.io/organization/integrations/integration-platform/webhooks/: issue alerts
(event_alert), issues (created, resolved, unresolved, assigned, archived) and metric alerts."""

from __future__ import annotations

from typing import Any

from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.parsers.common import (
    maybe_obj,
    obj,
    project_slug_from_event_url,
    required_id,
    tag,
    text,
    web_url,
)

# Resources this relay turns into alerts; others (installation, comment, error, ...) are
# acknowledged and ignored so Sentry does not count them as failed deliveries.
RESOURCES = ("event_alert", "issue", "metric_alert")

_ISSUE_TITLES = {
    "created": "New issue",
    "resolved": "Resolved",
    "unresolved": "Unresolved",
    "assigned": "Assigned",
    "archived": "Archived",
    "ignored": "Archived",  # the older name of archived
}
_METRIC_LEVELS = {"critical": "fatal", "warning": "warning", "resolved": "resolved"}


def parse(resource: str, body: Any) -> list[NormalizedAlert]:
    """Alerts in a webhook body; [] for a resource or action that is not alerted on."""
    body = obj(body, "body")
    action = text(body.get("action"))
    data = obj(body.get("data"), "data")
    if resource == "event_alert":
        return [_event_alert(data)]
    if resource == "issue":
        return [_issue(action, data, body)] if action in _ISSUE_TITLES else []
    if resource == "metric_alert":
        return [_metric_alert(action, data)] if action in _METRIC_LEVELS else []
    return []


def _event_alert(data: dict[str, Any]) -> NormalizedAlert:
    event = obj(data.get("event"), "data.event")
    event_id = required_id(event.get("event_id") or event.get("id"), "data.event.event_id")
    project = (
        project_slug_from_event_url(text(event.get("url")))
        or text(event.get("project"))
        or "unknown"
    )
    issue_id = text(event.get("issue_id"))
    metadata = maybe_obj(event.get("metadata"))
    title = text(event.get("title")) or text(event.get("message")) or "Sentry event"
    detail = text(metadata.get("value")) or text(event.get("message"))
    tags = event.get("tags")
    return NormalizedAlert(
        source="sentry",
        kind="event_alert.triggered",
        project=project,
        # Without an issue id nothing can be folded: each event stands alone.
        issue_key=f"sentry:{project}:{issue_id or 'event-' + event_id}",
        foldable=bool(issue_id),
        title=title,
        level=text(event.get("level")) or tag(tags, "level") or "error",
        description=detail if detail and detail not in title else "",
        url=web_url(event.get("web_url")),
        culprit=text(event.get("culprit")) or text(event.get("location")),
        environment=text(event.get("environment")) or tag(tags, "environment"),
        release=text(event.get("release")) or tag(tags, "release"),
        request_id=tag(tags, "request_id"),
        rule=text(data.get("triggered_rule")),
        occurred_at=text(event.get("datetime")),
    )


def _issue(action: str, data: dict[str, Any], body: dict[str, Any]) -> NormalizedAlert:
    issue = obj(data.get("issue"), "data.issue")
    issue_id = required_id(issue.get("id"), "data.issue.id")
    project_info = maybe_obj(issue.get("project"))
    project = text(project_info.get("slug")) or text(project_info.get("id")) or "unknown"
    title = f"{_ISSUE_TITLES[action]}: {text(issue.get('title')) or issue_id}"
    substatus = text(issue.get("substatus"))
    if action == "unresolved" and substatus == "regressed":
        title = "Regressed" + title.removeprefix("Unresolved")
    details: list[tuple[str, str]] = []
    actor = maybe_obj(body.get("actor"))
    if text(actor.get("name")) and action != "created":
        details.append(("By", text(actor.get("name"))))
    assignee = maybe_obj(issue.get("assignedTo"))
    if text(assignee.get("name")):
        details.append(("Assigned to", text(assignee.get("name"))))
    if text(issue.get("userCount")):
        details.append(("Users", text(issue.get("userCount"))))
    level = text(issue.get("level")) or "error"
    if action == "resolved":
        level = "resolved"
    elif action in ("assigned", "archived", "ignored"):
        level = "info"
    return NormalizedAlert(
        source="sentry",
        kind=f"issue.{action}",
        project=project,
        issue_key=f"sentry:{project}:{issue_id}",
        foldable=False,
        title=title,
        level=level,
        url=web_url(issue.get("web_url")) or web_url(issue.get("permalink")),
        culprit=text(issue.get("culprit")),
        short_id=text(issue.get("shortId")),
        event_count=text(issue.get("count")),
        details=details,
        occurred_at=text(issue.get("lastSeen")),
    )


def _metric_alert(action: str, data: dict[str, Any]) -> NormalizedAlert:
    incident = obj(data.get("metric_alert"), "data.metric_alert")
    rule = maybe_obj(incident.get("alert_rule"))
    rule_id = required_id(rule.get("id") or incident.get("id"), "data.metric_alert.alert_rule.id")
    projects = incident.get("projects") or rule.get("projects") or []
    project = text(projects[0]) if isinstance(projects, list) and projects else "metrics"
    name = text(rule.get("name")) or text(incident.get("title")) or f"rule {rule_id}"
    title = text(data.get("description_title")) or f"{action.capitalize()}: {name}"
    # Sentry's example escapes the newline; real payloads carry a newline. Show both as lines.
    description = text(data.get("description_text")).replace("\\n", "\n")
    return NormalizedAlert(
        source="sentry",
        kind=f"metric_alert.{action}",
        project=project,
        issue_key=f"sentry-metric:{rule_id}",
        foldable=action != "resolved",
        title=title,
        level=_METRIC_LEVELS[action],
        description=description,
        url=web_url(data.get("web_url")),
        environment=text(rule.get("environment")),
        rule=name,
        short_id=f"incident {text(incident.get('identifier'))}".strip()
        if text(incident.get("identifier"))
        else "",
        occurred_at=text(incident.get("date_started")),
    )
