"""The environment Terraform gives the services is one the app accepts in production.

`terraform validate` needs the provider schemas (a download this machine cannot make), but the
env maps of deploy/terraform/run.tf are plain Terraform expressions over variables: Terraform
itself evaluates them here (`terraform console`, no provider, no init) in a copy of that locals
block whose few resource attributes are replaced by stand-in values. The result, plus values
of the shape each referenced secret has, must pass `manage.py check --deploy` for the API
(paytungan.settings) and the relay (paytungan.relay_settings), and `manage.py check` for the
jobs: with no operator secret (a new project) and with all of them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from paytungan.tests.test_settings_validation import run

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "deploy" / "terraform"
PROJECT_NUMBER = "123456789012"
STAND_INS = {
    "data.google_project.this.number": f'"{PROJECT_NUMBER}"',
    "google_sql_database_instance.main.connection_name": '"p:asia-southeast1:paytungan"',
    "google_compute_network.main.id": '"network"',
    "google_compute_subnetwork.run.id": '"subnetwork"',
}
OPERATOR = [
    "sentry-dsn", "sentry-webhook-secret", "discord-webhook-url", "discord-webhook-routes",
    "email-password", "secret-key-fallbacks",
]  # fmt: skip
# One line: terraform console evaluates each input line on its own.
EXPRESSION = (
    "jsonencode({api = merge(local.api_env, local.wired_api), "
    "relay = merge(local.relay_env, local.wired_relay), "
    "mailer = merge(local.mailer_env, local.wired_mailer), jobs = local.job_secrets})"
)

pytestmark = pytest.mark.skipif(not shutil.which("terraform"), reason="no terraform binary")


def first_locals_block(text: str) -> str:
    start = text.index("\nlocals {\n") + 1
    end = text.index("\n}\n", start) + 3
    return text[start:end]


def generated_secret_names() -> list[str]:
    block = first_locals_block((TERRAFORM / "secrets.tf").read_text())
    body = block[block.index("generated_secrets = {") : block.index("\n  }\n")]
    return re.findall(r'^\s+"([a-z-]+)"\s+=', body, flags=re.MULTILINE)


def evaluate(tmp: Path, env: str, operator: list[str]) -> dict[str, dict[str, str]]:
    """env name -> value (or secret name) of each service, as Terraform computes them."""
    module = tmp / f"module-{env}-{len(operator)}"
    module.mkdir()
    shutil.copy(TERRAFORM / "variables.tf", module)
    block = first_locals_block((TERRAFORM / "run.tf").read_text())
    for reference, value in STAND_INS.items():
        block = block.replace(reference, value)
    assert not re.search(r"\b(google_\w+|data)\.", block), "a resource reference without stand-in"
    generated = json.dumps(generated_secret_names())
    (module / "locals.tf").write_text(
        block + "locals {\n  secret_versions = merge("
        f'{{ for k in {generated} : k => "1" }}, {{ for k in var.operator_secrets : k => "2" }})\n}}\n'
    )
    done = subprocess.run(
        ["terraform", "console", f"-var-file={TERRAFORM / 'envs' / f'{env}.tfvars'}",
         f"-var=operator_secrets={json.dumps(operator)}"],
        cwd=module, input=EXPRESSION, capture_output=True, text=True, timeout=120, check=False,
        env=os.environ | {"TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, str]] = json.loads(json.loads(done.stdout.strip()))
    return result


SECRET_VALUES = {
    "secret-key": secrets.token_urlsafe(48),
    "secret-key-fallbacks": secrets.token_urlsafe(48),
    "database-url": "postgres://paytungan:pw@/paytungan?host=/cloudsql/p:asia-southeast1:paytungan",
    "metrics-token": secrets.token_urlsafe(30),
    "alert-hook-token": secrets.token_urlsafe(30),
    "sentry-dsn": "http://public@127.0.0.1:9/1",  # loopback: nothing may leave this machine
    "email-password": "smtp-api-key",
    "sentry-webhook-secret": secrets.token_hex(32),
    "discord-webhook-url": "https://discord.com/api/webhooks/1/abc",
    "discord-webhook-routes": "uptime=https://discord.com/api/webhooks/2/def",
}


def process_env(service: dict[str, str], secret_envs: set[str]) -> dict[str, str]:
    """The container's environment: literal values, and each secret reference's value."""
    return {k: SECRET_VALUES[v] if k in secret_envs else v for k, v in service.items()}


def secret_env_names() -> set[str]:
    block = first_locals_block((TERRAFORM / "run.tf").read_text())
    return set(re.findall(r"^\s+([A-Z_]+)\s+=\s+\"[a-z-]+\"$", block, flags=re.MULTILINE))


@pytest.mark.parametrize("operator", [[], OPERATOR], ids=["new-project", "all-operator-secrets"])
@pytest.mark.parametrize("env", ["staging", "production"])
def test_the_services_environment_passes_the_production_checks(tmp_path, env, operator):
    services = evaluate(tmp_path, env, operator)
    names = secret_env_names()
    wired = {k for k in services["api"] if k in names} | {
        k for k in services["relay"] if k in names
    }
    # Without operator secrets only generated ones are referenced; with them, all are.
    operator_envs = {"SENTRY_DSN", "EMAIL_HOST_PASSWORD", "SECRET_KEY_FALLBACKS",
                     "SENTRY_WEBHOOK_SECRET", "DISCORD_WEBHOOK_URL", "DISCORD_WEBHOOK_ROUTES"}  # fmt: skip
    assert (wired & operator_envs) == (operator_envs if operator else set())

    api = process_env(services["api"], names)
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], api)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout + done.stderr, done.stdout

    # The relay has no CSRF or sessions by design (check --deploy would say so): it must start
    # with its environment and let its own hosts through to the webhooks, nobody else's.
    relay = process_env(services["relay"], names)
    done = run(["-c", RELAY_PROBE], relay)
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    assert json.loads(line[7:]) == {"own_host": [400, "bad_payload"], "other_host": [400, False]}

    # The jobs: run.tf's literal DEBUG/ALLOWED_HOSTS of the job container, then their secrets.
    jobs = {"DEBUG": "0", "ALLOWED_HOSTS": "localhost"} | services["jobs"] | services["mailer"]
    done = run(["manage.py", "check"], process_env(jobs, names))
    assert done.returncode == 0, done.stdout + done.stderr


RELAY_PROBE = """
import json, os, sys
import paytungan.relay_wsgi
from django.test import Client
c = Client(raise_request_exception=False)
url = "/hooks/uptime?token=" + os.environ["ALERT_HOOK_TOKEN"]
own = os.environ["ALLOWED_HOSTS"].split(",")[0]
mine = c.post(url, data=b"{}", content_type="application/json", HTTP_HOST=own)
other = c.post(url, data=b"{}", content_type="application/json", HTTP_HOST="evil.example.org")
sys.stdout.write("RESULT " + json.dumps({
    "own_host": [mine.status_code, mine.json()["error"]["code"]],
    "other_host": [other.status_code, b"bad_payload" in other.content],
}) + "\\n")
"""


def test_the_hosts_terraform_lists_are_exact_and_include_the_release_tag(tmp_path):
    api = evaluate(tmp_path, "production", [])["api"]
    hosts = api["ALLOWED_HOSTS"].split(",")
    suffix = f"{PROJECT_NUMBER}.asia-southeast1.run.app"
    assert hosts == [
        "api.paytungan.id", f"paytungan-api-{suffix}", f"canary---paytungan-api-{suffix}",
        "127.0.0.1",  # the metrics sidecar scrapes over loopback
    ]  # fmt: skip
    assert api["NUM_PROXIES"] == "1"
    assert api["CSRF_TRUSTED_ORIGINS"] == "https://paytungan.id"
