"""The relay runs as its own service: own WSGI entrypoint, own settings, only /hooks/*."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BACKEND = Path(__file__).resolve().parents[3]

PROBE = """
import json
import paytungan.relay_wsgi  # must win over DJANGO_SETTINGS_MODULE=paytungan.settings
from django.conf import settings
from django.test import Client

import sys
c = Client()
# One write per line: the request log is written by a background thread to the same stdout.
sys.stdout.write("RESULT " + json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "middleware": len(settings.MIDDLEWARE),
    "live": c.get("/api/health/live").status_code,
    "hook_sentry": c.get("/hooks/sentry").status_code,
    "hook_uptime": c.post("/hooks/uptime").status_code,
    "api": c.get("/api/groups").status_code,
    "admin": c.get("/admin/").status_code,
}) + "\\n")
"""


def run_probe(probe: str) -> tuple[dict[str, Any], list[str]]:
    """Runs `probe` in a fresh interpreter (the relay's settings must win at import time):
    its RESULT line, and every line it printed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paytungan.settings", "ALERT_HOOK_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    return json.loads(next(x for x in lines if x.startswith("RESULT "))[7:]), lines


def test_relay_service_serves_only_the_hooks_and_health():
    seen, _lines = run_probe(PROBE)
    assert seen == {
        "settings": "paytungan.relay_settings",
        "middleware": 4,  # health, request log, security, common (Host): no session, CSRF, auth
        "live": 200,
        "hook_sentry": 405,  # routed (GET not allowed)
        "hook_uptime": 503,  # routed; no ALERT_HOOK_TOKEN in this environment
        "api": 404,
        "admin": 404,
    }


FAILING_PROBE = """
import json
import sys
import paytungan.relay_wsgi
from django.test import Client
from paytungan.alerts import views
from paytungan.ops.middleware import RequestLogMiddleware

def view_bug(request):
    raise RuntimeError("view bug 41")

def middleware_bug(*args, **kwargs):
    raise RuntimeError("middleware bug 42")

c = Client(raise_request_exception=False)
read_body, views._read_body = views._read_body, view_bug
view = c.post("/hooks/sentry", data=b"{}", content_type="application/json")
views._read_body = read_body
RequestLogMiddleware._log = staticmethod(middleware_bug)
middleware = c.post("/hooks/uptime", data=b"{}", content_type="application/json")
sys.stdout.write("RESULT " + json.dumps({
    "view": [view.status_code, view.json()["error"]["code"]],
    "middleware": [middleware.status_code, middleware.json()["error"]["code"]],
}) + "\\n")
"""


def test_every_uncaught_error_of_the_relay_is_one_json_line_with_its_traceback():
    answers, lines = run_probe(FAILING_PROBE)
    assert answers == {"view": [500, "server_error"], "middleware": [500, "server_error"]}
    logged = [json.loads(x) for x in lines if x.startswith("{")]
    for marker in ("view bug 41", "middleware bug 42"):
        [line] = [x for x in logged if marker in x.get("exception", "")]
        assert line["severity"] == "ERROR"
        assert "Traceback (most recent call last)" in line["exception"]
    # Django's own "Service Unavailable" line for a 5xx the code chose stays out.
    assert not [x for x in logged if x["logger"] == "django.request" and "exception" not in x]


HOST_PROBE = """
import json
import sys
import paytungan.relay_wsgi
from django.test import Client

c = Client(raise_request_exception=False)
def hook(host):
    return c.post("/hooks/uptime", data=b"{}", content_type="application/json", HTTP_HOST=host)
sys.stdout.write("RESULT " + json.dumps({
    "listed": hook("testserver").status_code,
    "other": hook("evil.example.org").status_code,
    "run_app": hook("paytungan-relay-abc-as.a.run.app").status_code,
    "probe_any_host": c.get("/api/health/live", HTTP_HOST="10.0.0.7:8080").status_code,
}) + "\\n")
"""


def test_the_relay_checks_the_host_against_allowed_hosts():
    # The finding: the relay read no Host, so ALLOWED_HOSTS checked nothing there.
    seen, _lines = run_probe(HOST_PROBE)
    assert seen == {
        "listed": 503,  # reached the view (no ALERT_HOOK_TOKEN in this environment)
        "other": 400,
        "run_app": 400,  # another Cloud Run service's host is not ours
        "probe_any_host": 200,  # Cloud Run's probes carry the instance address
    }
