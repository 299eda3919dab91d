import os
import subprocess
import sys
from pathlib import Path

import pytest

from paytungan.alerts import config
from paytungan.env import ConfigError, env_parsed

BACKEND = Path(__file__).resolve().parents[3]


def test_routes_parse_project_slug_url_pairs():
    routes = config.parse_webhook_routes(
        "front-end=https://discord.com/api/webhooks/1/a, backend=https://discord.com/api/webhooks/2/b"
    )
    assert routes == {
        "front-end": "https://discord.com/api/webhooks/1/a",
        "backend": "https://discord.com/api/webhooks/2/b",
    }


@pytest.mark.parametrize(
    "raw",
    [
        "front-end",
        "=https://discord.com/api/webhooks/1/a",
        "a=http://discord.com/api/webhooks/1/a",
        "a=https://discord.com",
        "a=https://discord.com/api/webhooks/1/a,a=https://discord.com/api/webhooks/2/b",
        "bad key=https://discord.com/api/webhooks/1/a",
    ],
)
def test_bad_routes_are_a_config_error_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DISCORD_WEBHOOK_ROUTES", raw)
    with pytest.raises(ConfigError, match=r"^DISCORD_WEBHOOK_ROUTES: "):
        env_parsed("DISCORD_WEBHOOK_ROUTES", dict[str, str](), config.parse_webhook_routes)


def test_plain_http_only_to_a_loopback_stand_in():
    assert config.parse_webhook_url("http://127.0.0.1:9/api/webhooks/1/x")
    with pytest.raises(ValueError, match="https"):
        config.parse_webhook_url("http://example.com/api/webhooks/1/x")


def test_routing_falls_back_to_source_then_default(settings):
    settings.DISCORD_WEBHOOK_URL = "https://discord.com/api/webhooks/0/default"
    settings.DISCORD_WEBHOOK_ROUTES = {
        "backend": "https://discord.com/api/webhooks/1/b",
        "uptime": "https://discord.com/api/webhooks/2/u",
    }
    assert config.route_for(project="backend", source="sentry") == "backend"
    assert config.route_for(project="paytungan-prod", source="uptime") == "uptime"
    assert config.route_for(project="front-end", source="sentry") == ""
    fallback = config.webhook_for("gone-project")  # a removed route
    assert fallback is not None
    assert fallback.url.endswith("/default")
    settings.DISCORD_WEBHOOK_URL = ""
    assert config.webhook_for("") is None


def test_start_up_refuses_a_bad_webhook_url():
    env = {**os.environ, "DISCORD_WEBHOOK_URL": "ftp://nope", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DISCORD_WEBHOOK_URL: must" in result.stderr
