"""The relay runs as its own service: own WSGI entrypoint, own settings, only /hooks/*."""

import json
import os
import subprocess
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3]

PROBE = """
import json
import paytungan.relay_wsgi  # must win over DJANGO_SETTINGS_MODULE=paytungan.settings
from django.conf import settings
from django.test import Client

c = Client()
print(json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "middleware": len(settings.MIDDLEWARE),
    "live": c.get("/api/health/live").status_code,
    "hook_sentry": c.get("/hooks/sentry").status_code,
    "hook_uptime": c.post("/hooks/uptime").status_code,
    "api": c.get("/api/groups").status_code,
    "admin": c.get("/admin/").status_code,
}))
"""


def test_relay_service_serves_only_the_hooks_and_health():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paytungan.settings", "ALERT_HOOK_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "settings": "paytungan.relay_settings",
        "middleware": 3,  # health, request log, security: no session, CSRF or auth
        "live": 200,
        "hook_sentry": 405,  # routed (GET not allowed)
        "hook_uptime": 503,  # routed; no ALERT_HOOK_TOKEN in this environment
        "api": 404,
        "admin": 404,
    }
