#!/usr/bin/env bash
# `make e2e`: the Playwright specs (frontend/e2e/*.spec.ts) in Debian's Chromium against the real
# stack: a throwaway PostgreSQL (scripts/with-postgres.sh), the API migrated and served by
# gunicorn with production-like settings (DEBUG=0), and the production build of the frontend
# proxying /api to it, reporting errors to a local stand-in for Sentry's ingestion
# (scripts/sentry-standin.mjs; e2e/sentry.spec.ts reads what it recorded). Everything is stopped
# afterwards, whatever the outcome.
# Extra arguments go to `playwright test` (e.g. `make e2e E2E_ARGS=e2e/settle-up.spec.ts`).
set -euo pipefail
FRONTEND="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(dirname "$FRONTEND")"
export E2E_PORT="${E2E_PORT:-18000}" E2E_API_PORT="${E2E_API_PORT:-18001}" E2E_SENTRY_PORT="${E2E_SENTRY_PORT:-18003}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM_PATH" ] || { echo "e2e: $CHROMIUM_PATH not found (apt-get install -y chromium)" >&2; exit 2; }

if [ "${1:-}" != "--inner" ]; then
  (cd "$FRONTEND" && API_ORIGIN="http://127.0.0.1:$E2E_API_PORT" NEXT_DIST_DIR=.next-e2e scripts/build.sh)
  exec "$ROOT/scripts/with-postgres.sh" "$0" --inner "$@"
fi
shift

# Production-like API settings; throttles stay on with limits no test run reaches.
export DEBUG=0 SECRET_KEY="e2e-secret-key-that-is-long-enough-for-django-checks-0123456789abcdef"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$E2E_PORT,http://localhost:$E2E_PORT"
export FRONTEND_URL="http://127.0.0.1:$E2E_PORT" EMAIL_BACKEND=console
export THROTTLE_ENABLED=1 LOGIN_ATTEMPTS_PER_IP=100000 LOGIN_FAILURES_PER_ACCOUNT=10000 API_REQUESTS_PER_MINUTE=1000000

logs="$(mktemp -d /tmp/paytungan-e2e.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_http() { # url seconds
  for _ in $(seq 1 "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

cd "$ROOT"
.venv/bin/python backend/manage.py migrate --noinput >"$logs/migrate.log" 2>&1 || { cat "$logs/migrate.log"; exit 1; }
# The admin's pages (e2e/admin-proxy.spec.ts) need their static files as production has them
# (the image runs collectstatic): with DEBUG=0 a missing manifest entry is a 500.
.venv/bin/python backend/manage.py collectstatic --noinput -v0 >>"$logs/migrate.log" 2>&1 || { cat "$logs/migrate.log"; exit 1; }
# A pool of ready accounts for the specs' setup: registration is limited per IP (every test
# browser is 127.0.0.1 behind the proxy), so only the flows that test signing up register.
export E2E_POOL_SIZE="${E2E_POOL_SIZE:-80}" E2E_POOL_DIR="$logs/pool"
mkdir -p "$E2E_POOL_DIR"
.venv/bin/python backend/manage.py shell -c "
from paytungan.accounts.models import User
first = User.objects.create_user('pool-1@e2e.paytungan.test', 'Sup3r-secret-passphrase!', name='Pool 1')
User.objects.bulk_create([User(email=f'pool-{i}@e2e.paytungan.test', name=f'Pool {i}', password=first.password) for i in range(2, $E2E_POOL_SIZE + 1)])
" >>"$logs/migrate.log" 2>&1 || { cat "$logs/migrate.log"; exit 1; }
# Keep-alive as in scripts/serve.sh (longer than the frontend proxy reuses idle connections).
.venv/bin/gunicorn paytungan.wsgi:application --chdir backend --bind "127.0.0.1:$E2E_API_PORT" \
  --workers 2 --threads 4 --keep-alive 75 --graceful-timeout 3 --access-logfile /dev/null >"$logs/api.log" 2>&1 &
pids+=($!)
# Sentry on, as in production, but reporting to the stand-in (E2E_SENTRY=0: off, e.g. to compare
# benchmarks). The Sentry settings are read when the server runs (src/lib/env.ts), so the build
# is the same either way.
sentry_env=()
if [ "${E2E_SENTRY:-1}" != 0 ]; then
  node "$FRONTEND/scripts/sentry-standin.mjs" "$E2E_SENTRY_PORT" "$logs/sentry-envelopes.ndjson" >"$logs/sentry.log" 2>&1 &
  pids+=($!)
  export E2E_SENTRY_URL="http://127.0.0.1:$E2E_SENTRY_PORT" E2E_SENTRY_ENVIRONMENT=e2e
  export E2E_SENTRY_RELEASE="e2e-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)"
  sentry_env=(NEXT_PUBLIC_SENTRY_DSN="http://public@127.0.0.1:$E2E_SENTRY_PORT/1"
    NEXT_PUBLIC_SENTRY_ENVIRONMENT="$E2E_SENTRY_ENVIRONMENT" NEXT_PUBLIC_SENTRY_RELEASE="$E2E_SENTRY_RELEASE")
fi
(cd "$FRONTEND" && exec env NEXT_DIST_DIR=.next-e2e NEXT_OUTPUT=server NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 \
  PAYTUNGAN_DEBUG_ROUTES=1 "${sentry_env[@]}" node_modules/.bin/next start -H 127.0.0.1 -p "$E2E_PORT") >"$logs/next.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$E2E_API_PORT/api/health/ready" 60 || { echo "e2e: API did not start"; cat "$logs/api.log"; exit 1; }
if [ -n "${E2E_SENTRY_URL:-}" ]; then
  wait_http "$E2E_SENTRY_URL/health" 30 || { echo "e2e: Sentry stand-in did not start"; cat "$logs/sentry.log"; exit 1; }
fi
wait_http "http://127.0.0.1:$E2E_PORT/login" 60 || { echo "e2e: frontend did not start"; cat "$logs/next.log"; exit 1; }
echo "e2e: API http://127.0.0.1:$E2E_API_PORT, app http://127.0.0.1:$E2E_PORT (logs in $logs)"

set +e
(cd "$FRONTEND" && E2E_BASE_URL="http://127.0.0.1:$E2E_PORT" E2E_API_LOG="$logs/api.log" E2E_JSON_REPORT="$logs/report.json" \
  node_modules/.bin/playwright test "$@")
status=$?
set -e
# Browsers report Content-Security-Policy violations to /csp-report (src/lib/csp.ts), which logs
# each one: any during the run fails it, whichever spec caused it.
if grep -q "csp-violation" "$logs/next.log"; then
  echo "e2e: Content-Security-Policy violations were reported:"
  grep "csp-violation" "$logs/next.log" | sort | uniq -c | head -n 20
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "e2e: failed; API warnings and errors (full logs in $logs):"
  grep -v '"severity": "INFO"' "$logs/api.log" | tail -n 40 || true
fi
# Last, so a CI log cut to its tail still names them: every failed or flaky spec, first error line.
if [ -f "$logs/report.json" ]; then
  node "$FRONTEND/scripts/e2e-summary.mjs" "$logs/report.json" || true
fi
if [ "$status" -eq 0 ]; then
  rm -rf "$logs"
fi
exit "$status"
