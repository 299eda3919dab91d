"""deploy/checks/static.py catches each release rule it claims: a copy of deploy/terraform with
one rule broken at a time must produce the matching problem (and the real tree none)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("static", ROOT / "deploy" / "checks" / "static.py")
assert spec is not None
assert spec.loader is not None
static = importlib.util.module_from_spec(spec)
spec.loader.exec_module(static)


def problems(tmp_path: Path, file: str = "", old: str = "", new: str = "") -> list[str]:
    copy = tmp_path / "terraform"
    shutil.copytree(ROOT / "deploy" / "terraform", copy)
    if file:
        text = (copy / file).read_text()
        assert old in text, f"{old!r} not in {file}"
        (copy / file).write_text(text.replace(old, new, 1))
    static.errors.clear()
    static.check_terraform(copy)
    return list(static.errors)


def test_the_tree_as_committed_passes(tmp_path):
    assert problems(tmp_path) == []


BROKEN = [
    ("run.tf", "version = local.secret_versions[env.value]", 'version = "latest"', "latest"),
    ("run.tf", 'SENTRY_DSN           = "sentry-dsn"', 'SENTRY_DSN           = "sentry-key"', "neither"),
    ("run.tf", "job_secrets = {\n    SECRET_KEY   = \"secret-key\"", "job_secrets = {\n    SECRET_KEY   = \"sentry-dsn\"", "generated secrets only"),
    ("run.tf", "for_each = local.wired_relay\n", "for_each = local.relay_secrets\n", "wired_relay"),
    ("run.tf", "min_instance_count = 1", "min_instance_count = 0", "min_instance_count"),
    ("run.tf", "cpu_idle          = false", "cpu_idle          = true", "cpu_idle"),
    ("run.tf", "client_version, traffic, annotations, template[0].annotations]\n  }\n  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]\n}\n\nresource \"google_cloud_run_v2_service\" \"relay\"", "client_version, annotations, template[0].annotations]\n  }\n  depends_on = [google_secret_manager_secret_iam_member.access, google_secret_manager_secret_version.generated]\n}\n\nresource \"google_cloud_run_v2_service\" \"relay\"", "lacks traffic"),
    ("run.tf", "client_version, traffic, annotations, template[0].annotations]\n  }\n  depends_on", "client_version, traffic, annotations, template[0].annotations, template[0].revision]\n  }\n  depends_on", "409"),
    ("monitoring.tf", '{ key = "service.instance.id", from_attribute = "faas.id", action = "upsert" },\n          { key = "service.instance.id", from_attribute = "faas.instance", action = "upsert" },', "", "collisions"),
    ("run.tf", 'DISCORD_WEBHOOK_ROUTES = "discord-webhook-routes"', "", "DISCORD_WEBHOOK_ROUTES"),
    ("run.tf", '"canary---paytungan-relay-${local.run_suffix}"', '"*.run.app"', "relay_hosts"),
    ("run.tf", 'NUM_PROXIES               = "1"', 'NUM_PROXIES               = "2"', "exactly one proxy"),
    ("variables.tf", "default     = 1\n  validation", "default     = 2\n  validation", "num_proxies"),
    ("monitoring.tf", "    sql-disk = {", "    sql-disks = {", "sql-disk"),
    ("monitoring.tf", "    job-failed = {", "    jobs-failed = {", "job-failed"),
    ("monitoring.tf", 'each.key == "relay" ? local.email_channels : local.all_channels', "[google_monitoring_notification_channel.relay.id]", "e-mail"),
    ("monitoring.tf", "    relay = { host", "    relays = { host", "uptime"),
    ("monitoring.tf", "select_slo_burn_rate", "select_slo_health", "burn-rate"),
    ("monitoring.tf", "credentials_file", "password_file", "METRICS_TOKEN"),
    ("apis.tf", '    "cloudresourcemanager.googleapis.com",\n', "", "cloudresourcemanager"),
    ("iam.tf", 'display_name = "Paytungan ${var.env} GitHub deployer"\n  depends_on   = [google_project_service.apis]', 'display_name = "Paytungan ${var.env} GitHub deployer"', "deployer must depend"),
    ("registry.tf", "cleanup_policy_dry_run = false", "cleanup_policy_dry_run = true", "DELETE"),
    (".terraform.lock.hcl", 'provider "registry.terraform.io/hashicorp/random"', 'provider "registry.terraform.io/hashicorp/other"', "hashicorp/random not locked"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN, ids=[b[3] for b in BROKEN])
def test_each_broken_rule_is_reported(tmp_path, file, old, new, expected):
    found = problems(tmp_path, file, old, new)
    assert any(expected in p for p in found), found


def workflow_problems(tmp_path: Path, file: str = "", old: str = "", new: str = "") -> list[str]:
    copy = tmp_path / "workflows"
    shutil.copytree(ROOT / ".github" / "workflows", copy)
    if file:
        text = (copy / file).read_text()
        assert old in text, f"{old!r} not in {file}"
        (copy / file).write_text(text.replace(old, new, 1))
    static.errors.clear()
    static.check_release_workflows(copy)
    return list(static.errors)


def test_the_workflows_as_committed_pass(tmp_path):
    assert workflow_problems(tmp_path) == []


BROKEN_WORKFLOWS = [
    # A job Terraform defines whose image no release sets runs the bootstrap image forever.
    ("deploy-env.yml", " paytungan-recurring-bills;", ";", "paytungan-recurring-bills"),
    ("deploy-env.yml", "gcloud run jobs update paytungan-migrate", "gcloud run jobs update x", "paytungan-migrate"),
    # Staging's alias comes from the tfvars' frontend_origin, not a second copy in GitHub.
    ("deploy-env.yml", 'tfvars="../deploy/terraform/envs/$ENVIRONMENT.tfvars"', "", "frontend_origin"),
    ("deploy-env.yml", 'alias set "$url" "${origin#https://}"', 'alias set "$url" "${{ vars.FRONTEND_ORIGIN }}"', "frontend_origin"),
    ("deploy-env.yml", ' --scope="$VERCEL_ORG_ID"', "", "--scope"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), BROKEN_WORKFLOWS, ids=[b[3] for b in BROKEN_WORKFLOWS]
)
def test_each_broken_workflow_rule_is_reported(tmp_path, file, old, new, expected):
    found = workflow_problems(tmp_path, file, old, new)
    assert any(expected in p for p in found), found


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="no shellcheck on PATH")
def test_the_run_steps_reach_shellcheck_and_a_bad_one_fails(tmp_path):
    import subprocess

    committed = static.write_run_steps(tmp_path / "committed")
    assert committed, "no run: steps found"
    ok = subprocess.run(["shellcheck", "-S", "warning", *committed], capture_output=True)
    assert ok.returncode == 0, ok.stdout.decode()
    workflows = tmp_path / "workflows"
    workflows.mkdir()
    (workflows / "bad.yml").write_text(
        "on: push\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    steps:\n"
        '      - run: echo "${{ github.sha }}" "$never_assigned"\n'
    )
    [bad] = static.write_run_steps(tmp_path / "bad", workflows)
    found = subprocess.run(["shellcheck", "-S", "warning", str(bad)], capture_output=True)
    assert found.returncode != 0
    assert b"SC2154" in found.stdout  # referenced but not assigned


def test_a_missing_lock_file_is_reported(tmp_path):
    copy = tmp_path / "terraform"
    shutil.copytree(ROOT / "deploy" / "terraform", copy)
    (copy / ".terraform.lock.hcl").unlink()
    static.errors.clear()
    static.check_terraform(copy)
    assert any("no .terraform.lock.hcl" in p for p in static.errors), static.errors
