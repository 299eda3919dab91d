# Paytungan: `make run` serves the demo, `make test` runs the fast checks.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(CURDIR)/.tools/bin/uv
PY := $(CURDIR)/.venv/bin/python
MANAGE := $(PY) backend/manage.py
PORT ?= 8000
HOST ?= 127.0.0.1
# Tests and checks run with production-like settings unless a target says otherwise.
TEST_ENV := DEBUG=0 SECRET_KEY=test-secret-key-that-is-long-enough-for-django-checks-0123456789 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1 SECURE_SSL_REDIRECT=0 EMAIL_BACKEND=locmem \
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci}
DEV_ENV := DEBUG=1

.PHONY: help setup run test lint typecheck migrations-check openapi openapi-check pytest bench clean

help:
	@echo "make run    - set up and serve the demo app (SQLite, demo data) on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the fast checks (lint, types, migrations, OpenAPI, tests on PostgreSQL)"
	@echo "make bench  - benchmarks (numbers go to docs/benchmarks.md)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

setup: .venv/.synced

run: setup
	@mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) demo_data
	@echo ""
	@echo "  Paytungan is running at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs)"
	@echo "  Demo login: demo@paytungan.id / demo-password-123"
	@echo ""
	$(DEV_ENV) .venv/bin/gunicorn paytungan.wsgi:application --chdir backend \
		--bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile /dev/null

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: .venv/bin/mypy backend/paytungan

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

test: lint typecheck migrations-check openapi-check pytest

bench: setup
	$(TEST_ENV) scripts/with-postgres.sh $(PY) -m pytest backend -m bench --benchmark-only \
		--benchmark-columns=min,median,mean,max,rounds -q $(PYTEST_ARGS)
	scripts/bench-http.sh

clean:
	rm -rf .venv .tools var .mypy_cache .ruff_cache
