"""Webhook bodies in the documented formats, shaped after the examples in Sentry's docs
(integration-platform/webhooks: issue-alerts, issues, metric-alerts), Sentry's legacy webhook
plugin, and Google Cloud Monitoring's webhook notification schema 1.2. Builders take the bits a
test varies; everything else is as documented."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from typing import Any

SECRET = "d0c5e1a2b3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
OLD_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
TOKEN = "hook-token-0123456789-abcdefghij"
INSTALLATION = {"uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de"}
SENTRY_ACTOR = {"id": "sentry", "name": "Sentry", "type": "application"}


def event_alert(
    *,
    issue_id: str = "1117540176",
    project: str = "front-end",
    title: str = "ReferenceError: heck is not defined",
    message: str = "",
    request_id: str = "req-7f3a",
    environment: str = "production",
    release: str = "3f2a9c1",
    level: str = "error",
    event_id: str | None = None,
) -> dict[str, Any]:
    event_id = event_id or uuid.uuid4().hex
    return {
        "action": "triggered",
        "actor": SENTRY_ACTOR,
        "data": {
            "event": {
                "_ref": 1,
                "_ref_version": 2,
                "contexts": {"browser": {"name": "Chrome", "type": "browser", "version": "75.0"}},
                "culprit": "?(<anonymous>)",
                "datetime": "2019-08-19T21:06:17.677000Z",
                "dist": None,
                "environment": environment,
                "event_id": event_id,
                "exception": {
                    "values": [
                        {
                            "mechanism": {"handled": False, "type": "onerror"},
                            "stacktrace": {"frames": [{"filename": "<anonymous>", "lineno": 3}]},
                            "type": "ReferenceError",
                            "value": "heck is not defined",
                        }
                    ]
                },
                "fingerprint": ["{{ default }}"],
                "hashes": ["29f7ffc4903a8a990408b80a3b4c95a2"],
                "issue_url": f"https://sentry.io/api/0/issues/{issue_id}/",
                "issue_id": issue_id,
                "key_id": "667532",
                "level": level,
                "location": "<anonymous>",
                "logger": "",
                "message": message,
                "metadata": {
                    "filename": "<anonymous>",
                    "type": "ReferenceError",
                    "value": message or "heck is not defined",
                },
                "platform": "javascript",
                "project": 1,
                "received": 1566248777.677,
                "release": release,
                "request": {"url": "https://null.jsbin.com/runner", "headers": []},
                "tags": [
                    ["environment", environment],
                    ["handled", "no"],
                    ["level", level],
                    ["release", release],
                    ["request_id", request_id],
                ],
                "timestamp": 1566248777.677,
                "title": title,
                "type": "error",
                "url": f"https://sentry.io/api/0/projects/test-org/{project}/events/{event_id}/",
                "user": {"id": "42"},
                "version": "7",
                "web_url": f"https://sentry.io/organizations/test-org/issues/{issue_id}/events/{event_id}/",
            },
            "triggered_rule": "Very Important Alert Rule!",
            "issue_alert": {
                "title": "Very Important Alert Rule!",
                "settings": [{"name": "channel", "value": "#general"}],
            },
        },
        "installation": INSTALLATION,
    }


def issue(
    action: str,
    *,
    issue_id: str = "1170820242",
    project: str = "front-end",
    title: str = "ReferenceError: blooopy is not defined",
    substatus: str = "escalating",
) -> dict[str, Any]:
    return {
        "action": action,
        "actor": SENTRY_ACTOR
        if action == "created"
        else {"id": 1, "name": "Ayu Lestari", "type": "user"},
        "data": {
            "issue": {
                "annotations": [],
                "assignedTo": {"type": "user", "id": "1", "name": "Ayu Lestari"}
                if action == "assigned"
                else None,
                "count": "1",
                "culprit": "?(runner)",
                "firstSeen": "2019-08-19T20:58:37.391000Z",
                "hasSeen": False,
                "id": issue_id,
                "isBookmarked": False,
                "isPublic": False,
                "isSubscribed": False,
                "lastSeen": "2019-08-19T20:58:37.391000Z",
                "level": "error",
                "logger": None,
                "metadata": {"filename": "/runner", "type": "ReferenceError", "value": "x"},
                "numComments": 0,
                "permalink": None,
                "platform": "javascript",
                "project": {"id": "1", "name": project, "platform": "", "slug": project},
                "shareId": None,
                "shortId": "FRONT-END-9",
                "status": "resolved" if action == "resolved" else "unresolved",
                "statusDetails": {},
                "subscriptionDetails": None,
                "substatus": substatus,
                "title": title,
                "type": "error",
                "userCount": 1,
                "url": f"https://sentry.io/api/0/organizations/test-org/issues/{issue_id}/",
                "web_url": f"https://sentry.io/organizations/test-org/issues/{issue_id}/",
                "project_url": f"https://sentry.io/organizations/test-org/issues/?project={project}",
            }
        },
        "installation": INSTALLATION,
    }


def metric_alert(action: str = "critical", *, rule_id: str = "7") -> dict[str, Any]:
    state = {"critical": "Critical", "warning": "Warning", "resolved": "Resolved"}[action]
    return {
        "action": action,
        "actor": SENTRY_ACTOR,
        "data": {
            "description_text": "1000 events in the last 10 minutes\nFilter: level:error",
            "description_title": f"{state}: Too many errors",
            "metric_alert": {
                "alert_rule": {
                    "aggregate": "count()",
                    "created_by": None,
                    "dataset": "events",
                    "date_created": "2020-09-13T12:26:40.000000Z",
                    "environment": None,
                    "id": rule_id,
                    "include_all_projects": False,
                    "name": "Too many errors",
                    "organization_id": "5",
                    "projects": ["bar"],
                    "query": "level:error",
                    "resolution": 1,
                    "status": 0,
                    "threshold_type": 0,
                    "time_window": 10,
                    "triggers": [],
                },
                "date_closed": None,
                "date_detected": "2020-09-13T12:26:40.000000Z",
                "date_started": "2020-09-13T12:26:40.000000Z",
                "id": "4",
                "identifier": "1",
                "organization_id": "5",
                "projects": ["bar"],
                "status": 2,
                "title": "Sacred Marmot",
                "type": 2,
            },
            "web_url": "https://sentry.io/organizations/baz/alerts/1/",
        },
        "installation": INSTALLATION,
    }


def legacy(*, group_id: str = "27379932", project: str = "backend") -> dict[str, Any]:
    event_id = uuid.uuid4().hex
    return {
        "id": group_id,
        "project": project,
        "project_name": "Backend",
        "project_slug": project,
        "logger": None,
        "level": "error",
        "culprit": "paytungan.bills.services in bill_create",
        "message": "ZeroDivisionError: division by zero",
        "url": f"https://sentry.io/organizations/test-org/issues/{group_id}/?referrer=webhooks_plugin",
        "triggering_rules": ["Errors in production"],
        "event": {
            "event_id": event_id,
            "id": event_id,
            "environment": "production",
            "release": "3f2a9c1",
            "level": "error",
            "title": "ZeroDivisionError: division by zero",
            "tags": [["environment", "production"], ["request_id", "req-legacy-1"]],
        },
    }


def uptime(state: str = "open", *, policy: str = "API uptime") -> dict[str, Any]:
    return {
        "version": "1.2",
        "incident": {
            "incident_id": "0.opqiw61fsv7p",
            "scoping_project_id": "paytungan-prod",
            "scoping_project_number": 12345,
            "url": "https://console.cloud.google.com/monitoring/alerting/incidents/0.opqiw61fsv7p?project=paytungan-prod",
            "started_at": 1577840461,
            "ended_at": 1577877071 if state == "closed" else None,
            "state": state,
            "resource_id": "",
            "resource_name": "paytungan-prod uptime check",
            "resource_display_name": "api.paytungan.id",
            "resource_type_display_name": "Uptime Check URL",
            "resource": {"type": "uptime_url", "labels": {"host": "api.paytungan.id"}},
            "metric": {
                "type": "monitoring.googleapis.com/uptime_check/check_passed",
                "displayName": "Check passed",
            },
            "metadata": {"system_labels": {}, "user_labels": {}},
            "policy_name": policy,
            "policy_user_labels": {},
            "documentation": {"content": "See docs/operations.md", "mime_type": "text/markdown"},
            "condition": {"name": "projects/paytungan-prod/alertPolicies/1/conditions/2"},
            "condition_name": "Uptime check failing",
            "threshold_value": "1",
            "observed_value": "0",
            "summary": "Uptime check for api.paytungan.id is failing in 3 regions.",
            "severity": "Critical",
        },
    }


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sentry_headers(
    body: bytes,
    resource: str,
    *,
    secret: str = SECRET,
    timestamp: float | str | None = None,
    signature: str | None = None,
) -> dict[str, str]:
    if timestamp is None:
        timestamp = int(time.time())
    elif isinstance(timestamp, float):
        timestamp = int(timestamp)
    return {
        "Request-ID": str(uuid.uuid4()),
        "Sentry-Hook-Resource": resource,
        "Sentry-Hook-Timestamp": str(timestamp),
        "Sentry-Hook-Signature": sign(body, secret) if signature is None else signature,
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def issue_in(embed: dict[str, Any]) -> str:
    """The Sentry issue id in a delivered embed's link (`.../issues/<id>/`)."""
    match = re.search(r"/issues/([^/]+)/", embed["url"])
    assert match, embed["url"]
    return match.group(1)
