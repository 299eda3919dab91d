# Paytungan: `make run` serves the demo, `make test` runs the fast checks.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(CURDIR)/.tools/bin/uv
PY := $(CURDIR)/.venv/bin/python
MANAGE := $(PY) backend/manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
# make run: the API listens here, behind the frontend on $(PORT).
API_PORT ?= $(if $(filter 8001,$(PORT)),8002,8001)
# Tests and checks run with production-like settings unless a target says otherwise.
TEST_ENV := DEBUG=0 SECRET_KEY=test-secret-key-that-is-long-enough-for-django-checks-0123456789 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1 SECURE_SSL_REDIRECT=0 EMAIL_BACKEND=locmem \
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci}
DEV_ENV := DEBUG=1

.PHONY: help setup messages run test lint typecheck migrations-check openapi openapi-check pytest bench clean \
	bench-receipts \
	deploy-check stack stack-down faults \
	test-backend frontend-setup frontend-check frontend-build e2e frontend-bench

help:
	@echo "make run    - set up and serve the demo app (SQLite, demo data) on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the fast checks (lint, types, migrations, OpenAPI, tests on PostgreSQL; frontend: tsc, eslint, vitest, API types)"
	@echo "make e2e    - browser tests (Playwright + Debian's Chromium) against the API on PostgreSQL and the built frontend"
	@echo "make bench  - benchmarks (numbers go to docs/benchmarks.md)"
	@echo "make stack  - the production shape locally: PostgreSQL, 3 API instances, relay, frontend, nginx"
	@echo "make stack-down - stop what make stack started"
	@echo "make faults - kill/restart/SIGTERM faults under load on a local stack (~2 min)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

# The API's message catalogues (decision 0018): the committed .po files compiled to .mo with
# Django's compilemessages (GNU gettext's msgfmt, Debian package `gettext`); not committed.
LOCALE_DIR := backend/paytungan/locale
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/django.po))

$(MO_FILES): %.mo: %.po .venv/.synced
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	cd backend/paytungan && ../../.venv/bin/django-admin compilemessages -v0

setup: .venv/.synced $(MO_FILES)

# After adding or changing an API message: update the catalogues from the code, then translate
# the new entries in $(LOCALE_DIR)/id/LC_MESSAGES/django.po (the pytest catalogue check says which).
messages: setup
	cd backend/paytungan && $(TEST_ENV) DATABASE_URL=sqlite:///:memory: ../../.venv/bin/django-admin \
		makemessages --settings=paytungan.settings --pythonpath .. \
		$$(../../.venv/bin/python -c 'import sys; sys.path[:0] = [".."]; from paytungan.common.i18n import makemessages_args; print(makemessages_args())')

# One URL: Next (`next start`) on $(PORT) proxies /api to gunicorn on 127.0.0.1:$(API_PORT).
run: setup frontend-build
	@mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) demo_data
	@echo ""
	@echo "  Paytungan is running at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs)"
	@echo "  Demo login: demo@paytungan.id / demo-password-123"
	@echo "  Ctrl-C stops it (the app and its API)."
	@echo ""
	@$(DEV_ENV) HOST=$(HOST) PORT=$(PORT) API_PORT=$(API_PORT) FRONTEND_URL=http://$(HOST):$(PORT) \
		CSRF_TRUSTED_ORIGINS=http://$(HOST):$(PORT),http://localhost:$(PORT),http://127.0.0.1:$(PORT) \
		frontend/scripts/serve.sh

# ruff, the layer contracts in .importlinter (docs/architecture.md, "Layers") and the drawing of
# the package graph (docs/module-graph.md, scripts/module_graph.py --write after a change).
lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	cd backend && ../.venv/bin/lint-imports --config ../.importlinter
	.venv/bin/python scripts/module_graph.py --check

typecheck: setup
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: .venv/bin/mypy backend/paytungan backend/conftest.py capacity/planner tools/seed

migrations-check: setup
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run

openapi: setup
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(MANAGE) export_openapi_schema \
		--api paytungan.api.api --indent 2 --sorted --output docs/openapi.json

openapi-check: setup
	@tmp=$$(mktemp); $(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(MANAGE) export_openapi_schema \
		--api paytungan.api.api --indent 2 --sorted --output $$tmp && \
	if ! diff -q $$tmp docs/openapi.json >/dev/null; then \
		echo "docs/openapi.json is stale: run 'make openapi' and commit it"; diff -u docs/openapi.json $$tmp | head -40; rm -f $$tmp; exit 1; fi; \
	rm -f $$tmp; echo "docs/openapi.json is up to date"

pytest: setup
	$(TEST_ENV) scripts/with-postgres.sh $(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

# Backend and frontend checks run side by side (two jobs: the machine's cores); the frontend's
# come first so they take one slot from the start while the backend's run one by one in the other.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target frontend-check test-backend

test-backend: deploy-check lint typecheck migrations-check openapi-check pytest

# --- frontend (Next.js in frontend/) --------------------------------------------------------------
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

frontend-setup: frontend/node_modules/.installed

# tsc --noEmit, eslint, vitest, and the generated API types up to date with docs/openapi.json.
frontend-check: frontend-setup
	cd frontend && npm run --silent typecheck && npm run --silent lint && npm run --silent test && \
		npm run --silent check:types-fresh

# Production build for `make run` (skipped when nothing changed; API_ORIGIN is baked into the rewrites).
frontend-build: frontend-setup
	cd frontend && API_ORIGIN=http://127.0.0.1:$(API_PORT) scripts/build.sh

# Playwright specs against PostgreSQL + gunicorn (DEBUG=0) + the built frontend; E2E_ARGS go to playwright.
e2e: setup frontend-setup
	frontend/scripts/e2e.sh $(E2E_ARGS)

# Group page: first-load JS (gzipped) and time to interactive with 1,000 bills (docs/benchmarks.md).
frontend-bench: setup frontend-setup
	mkdir -p $(CURDIR)/var
	E2E_BENCH=1 E2E_BENCH_OUT=$(CURDIR)/var/frontend-bench.json frontend/scripts/e2e.sh e2e/bench.spec.ts

# Static checks of deploy/ and .github/workflows/ (hadolint, checkov, python-hcl2, terraform fmt).
deploy-check: setup
	deploy/checks/run.sh

# The production shape on this machine: PostgreSQL, 3 gunicorn instances, relay, frontend, nginx.
stack: setup
	scripts/stack.sh up

stack-down:
	scripts/stack.sh down

# Faults under load against a stack of its own (kill -9, PostgreSQL restart, SIGTERM); ~2 min.
faults: setup
	$(PY) scripts/faults.py

bench: setup
	$(TEST_ENV) scripts/with-postgres.sh $(PY) -m pytest backend -m bench --benchmark-only \
		--benchmark-columns=min,median,mean,max,rounds -q $(PYTEST_ARGS)
	scripts/bench-http.sh
	scripts/bench/throughput.sh
	scripts/bench/peer.sh
	$(MAKE) --no-print-directory bench-receipts

# Receipt scanning accuracy and time over rendered receipts, clean and photographed (2 workers).
RECEIPT_BENCH_ARGS ?= --count 60 --workers 2
bench-receipts: setup
	@mkdir -p var
	$(PY) -m tools.receipts.bench $(RECEIPT_BENCH_ARGS) --json var/bench-receipts.json

clean:
	rm -rf .venv .tools var .mypy_cache .ruff_cache

# --- capacity planning (docs/capacity.md) ------------------------------------------------------
.PHONY: capacity capacity-ci
# The planner is a tool outside the deployed package: run as a module from the repository root.
CAPACITY := $(PY) -m capacity.planner
N ?= 2
CAPACITY_ARGS ?=
# Every server these start takes its ports from here upwards (unset: ports the kernel picks).
CAPACITY_PORT_BASE ?=
export CAPACITY_PORT_BASE

# Load-test the local production stack (scripts/stack.sh, on its own ports) with 1..N instances
# of the production shape (2 workers x 4 threads), each step twice; find each knee; hold the
# 1-instance safe rate again; plan from capacity/workload.yaml: capacity-report/report.md.
capacity: setup
	$(CAPACITY) run --target stack --instances $(N) --workers 2 --threads 4 --repeats 2 \
		--start-users 20 --factor 1.5 --max-steps 7 --refine 1 --step-seconds 15 \
		--warmup-seconds 4 --pace 0.5 --verify-seconds 20 --verify-repeats 2 $(CAPACITY_ARGS)

# The CI check: one gunicorn (2 x 4) on a throwaway PostgreSQL, three short steps twice each,
# then the safe rate held again (`verify`) and a sanity check of the report (~2.5 min, 2 cores).
# It checks the tool end to end, not the capacity: a smoke SLO of p95 < 1 s, so a busy runner
# does not fail it (make capacity uses the real 300 ms).
CAPACITY_CI_SLO := --slo-p95-ms 1000
capacity-ci: setup
	rm -rf capacity-report
	scripts/with-postgres.sh bash -c '$(CAPACITY) run --target local --steps 5,15,40 \
		--repeats 2 --step-seconds 12 --warmup-seconds 3 --pace 0.5 --seed-users 200 \
		--seed-groups 100 --bills-median 20 --bills-max 120 $(CAPACITY_CI_SLO) $(CAPACITY_ARGS) && \
		$(CAPACITY) verify --results capacity-report/results.json --target local --seconds 12 \
		--warmup-seconds 3 --repeats 1 --seed-users 200 --seed-groups 100 --bills-median 20 \
		--bills-max 120 $(CAPACITY_CI_SLO)'
	$(CAPACITY) check capacity-report
