"""Start-up validation of the environment: a bad variable stops the process with a message naming
it. Each case imports the settings in a fresh interpreter with exactly the environment given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND_DIR = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k7#Qp2!vX9zL0mN4bR8tY6wE3uI1oA5sD7fG2hJ9kL4zX8cV6bN1mQ3wE5rT7yU"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "api.paytungan.id",
    "DATABASE_URL": "postgres://u@127.0.0.1/x",
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the test run (DEBUG, EMAIL_BACKEND...) leaks in.
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BACKEND_DIR,
        env=base | {"DJANGO_SETTINGS_MODULE": "paytungan.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def setup_django(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["-c", "import django; django.setup()"], env)


def manage_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["manage.py", "check"], env)


def without(env: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != name}


BAD = [
    ("SECRET_KEY", without(PRODUCTION, "SECRET_KEY")),
    ("SECRET_KEY", PRODUCTION | {"SECRET_KEY": "short"}),
    ("SECRET_KEY", PRODUCTION | {"SECRET_KEY": "a" * 60}),
    ("DEBUG", PRODUCTION | {"DEBUG": "maybe"}),
    ("DATABASE_URL", without(PRODUCTION, "DATABASE_URL")),
    ("DATABASE_URL", PRODUCTION | {"DATABASE_URL": "mysqlx://u:hunter2@db/x"}),
    ("DATABASE_URL", PRODUCTION | {"DATABASE_URL": "postgres://u@127.0.0.1:notaport/x"}),
    ("EMAIL_PORT", PRODUCTION | {"EMAIL_PORT": "abc"}),
    ("EMAIL_BACKEND", PRODUCTION | {"EMAIL_BACKEND": "sendgrid"}),
    ("EMAIL_USE_SSL", PRODUCTION | {"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}),
    ("CSRF_TRUSTED_ORIGINS", PRODUCTION | {"CSRF_TRUSTED_ORIGINS": "notanorigin"}),
    ("CSRF_TRUSTED_ORIGINS", PRODUCTION | {"CSRF_TRUSTED_ORIGINS": "https://ok.id,ftp://x.y"}),
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": ""}),
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": " , "}),
    ("ALLOWED_HOSTS", without(PRODUCTION, "ALLOWED_HOSTS")),
    # Not Django patterns, or patterns that admit every Cloud Run service (deploy/terraform).
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": "*.run.app"}),
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": "api.paytungan.id,*"}),
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": ".a.run.app"}),
    ("ALLOWED_HOSTS", PRODUCTION | {"ALLOWED_HOSTS": ".asia-southeast1.run.app"}),
    ("LOG_LEVEL", PRODUCTION | {"LOG_LEVEL": "verbose"}),
    ("THROTTLE_ENABLED", PRODUCTION | {"THROTTLE_ENABLED": "sometimes"}),
    ("LOGIN_FAILURES_PER_ACCOUNT", PRODUCTION | {"LOGIN_FAILURES_PER_ACCOUNT": "0"}),
    ("API_REQUESTS_PER_MINUTE", PRODUCTION | {"API_REQUESTS_PER_MINUTE": "lots"}),
    ("DB_CONN_MAX_AGE", PRODUCTION | {"DB_CONN_MAX_AGE": "-1"}),
    ("MAX_REQUEST_BYTES", PRODUCTION | {"MAX_REQUEST_BYTES": "10"}),
    ("SECURE_HSTS_SECONDS", PRODUCTION | {"SECURE_HSTS_SECONDS": "1y"}),
    ("PASSWORD_RESET_TIMEOUT", PRODUCTION | {"PASSWORD_RESET_TIMEOUT": "5"}),
    ("TIME_ZONE", PRODUCTION | {"TIME_ZONE": "Mars/Olympus_Mons"}),
    ("FRONTEND_URL", PRODUCTION | {"FRONTEND_URL": "paytungan.id"}),
    ("REDIS_URL", PRODUCTION | {"REDIS_URL": "localhost:6379"}),
]


@pytest.mark.parametrize(("variable", "env"), BAD, ids=[f"{v}-{i}" for i, (v, _) in enumerate(BAD)])
def test_manage_py_stops_with_one_line_naming_the_variable(variable, env):
    result = manage_check(env)
    assert result.returncode == 2, result.stderr
    assert f"Configuration error: {variable}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert "hunter2" not in result.stderr  # a database password is never echoed


def test_django_setup_fails_with_the_variable_in_the_error():
    result = setup_django(without(PRODUCTION, "SECRET_KEY"))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("paytungan.env.ConfigError: SECRET_KEY: is required")


def test_the_wsgi_application_refuses_to_start_with_a_bad_variable():
    result = run(["-c", "import paytungan.wsgi"], PRODUCTION | {"EMAIL_PORT": "abc"})
    assert result.returncode != 0
    assert "Configuration error: EMAIL_PORT: must be an integer" in result.stderr


def test_a_complete_production_environment_starts():
    env = PRODUCTION | {
        "SECRET_KEY_FALLBACKS": "old-" + GOOD_SECRET,
        "CSRF_TRUSTED_ORIGINS": "https://paytungan.id,https://www.paytungan.id",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "true",
        "NUM_PROXIES": "1",
        "LOG_LEVEL": "warning",
    }
    result = setup_django(env)
    assert result.returncode == 0, result.stderr


def test_debug_mode_starts_with_nothing_set():
    result = setup_django({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_settings_read_in_the_environment_have_the_documented_effect():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECRET_KEY_FALLBACKS, s.CSRF_TRUSTED_ORIGINS, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
        "s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['OPTIONS']['connect_timeout'], s.SESSION_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.EMAIL_BACKEND, s.LOGGING['root']['level'])"
    )
    env = PRODUCTION | {
        "SECRET_KEY_FALLBACKS": "old-key-1, old-key-2",
        "CSRF_TRUSTED_ORIGINS": "https://paytungan.id",
        "EMAIL_PORT": "2525",
        "EMAIL_USE_TLS": "yes",
        "MAX_REQUEST_BYTES": "2048",
        "DB_CONNECT_TIMEOUT": "3",
        "LOG_LEVEL": "debug",
    }
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "['old-key-1', 'old-key-2'] ['https://paytungan.id'] 2525 True 2048 "
        "paytungan.common.postgres 3 True True "
        "django.core.mail.backends.smtp.EmailBackend DEBUG"
    )


def test_the_cloud_run_hosts_terraform_passes_are_accepted_and_enforced():
    # deploy/terraform/run.tf: the custom domain, the service's deterministic run.app URL and the
    # fixed `canary` tag's URL that the release smoke-tests; a leading-dot own domain is allowed.
    hosts = (
        "api.paytungan.id,paytungan-api-123456789012.asia-southeast1.run.app,"
        "canary---paytungan-api-123456789012.asia-southeast1.run.app,.paytungan.id"
    )
    code = (
        "import django; django.setup(); from django.http import HttpRequest; "
        "from django.core.exceptions import DisallowedHost\n"
        "for host in ['canary---paytungan-api-123456789012.asia-southeast1.run.app', "
        "'www.paytungan.id', 'evil---paytungan-api-123456789012.asia-southeast1.run.app', "
        "'paytungan-api-1.asia-southeast1.run.app']:\n"
        "    r = HttpRequest(); r.META = {'HTTP_HOST': host, 'SERVER_PORT': '443'}\n"
        "    try: r.get_host(); print('ok')\n"
        "    except DisallowedHost: print('refused')"
    )
    result = run(["-c", code], PRODUCTION | {"ALLOWED_HOSTS": hosts})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", "ok", "refused", "refused"]


def test_debug_may_still_allow_every_host():
    result = setup_django({"DEBUG": "1", "ALLOWED_HOSTS": "*"})
    assert result.returncode == 0, result.stderr
