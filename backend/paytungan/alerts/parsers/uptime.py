"""Google Cloud Monitoring incident notifications (webhook channel, schema version 1.2).

The relay's way to hear that the API is down, which Sentry cannot report. Body:
{"version": "1.2", "incident": {incident_id, scoping_project_id, url, state: open|closed,
policy_name, condition_name, summary, severity, resource_display_name, observed_value,
threshold_value, started_at, ended_at, ...}}.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.parsers.common import PayloadError, obj, text, web_url

_SEVERITY_LEVELS = {"critical": "fatal", "error": "error", "warning": "warning"}


def parse(body: Any) -> list[NormalizedAlert]:
    body = obj(body, "body")
    incident = obj(body.get("incident"), "incident")
    state = text(incident.get("state")).lower()
    if state not in ("open", "closed"):
        raise PayloadError("incident.state must be open or closed")
    policy = text(incident.get("policy_name")) or "uptime check"
    condition = text(incident.get("condition_name"))
    project = text(incident.get("scoping_project_id")) or text(incident.get("project_id"))
    resource = text(incident.get("resource_display_name")) or text(incident.get("resource_name"))
    details = [
        (name, value)
        for name, value in (
            ("Resource", resource),
            ("Condition", condition),
            ("Observed", text(incident.get("observed_value"))),
            ("Threshold", text(incident.get("threshold_value"))),
        )
        if value
    ]
    level = (
        "resolved"
        if state == "closed"
        else _SEVERITY_LEVELS.get(text(incident.get("severity")).lower(), "error")
    )
    return [
        NormalizedAlert(
            source="uptime",
            kind=f"uptime.{state}",
            project=project or "uptime",
            # By policy, not incident: a flapping check folds, and open/closed stay in order.
            issue_key=f"uptime:{project}:{policy}:{condition}",
            foldable=state == "open",
            title=f"{'Down' if state == 'open' else 'Recovered'}: {policy}",
            level=level,
            description=text(incident.get("summary")),
            url=web_url(incident.get("url")),
            short_id=f"incident {text(incident.get('incident_id'))}"
            if text(incident.get("incident_id"))
            else "",
            details=details,
            occurred_at=_epoch(incident.get("ended_at") if state == "closed" else None)
            or _epoch(incident.get("started_at")),
        )
    ]


def _epoch(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return ""
    try:
        return datetime.fromtimestamp(value, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""
