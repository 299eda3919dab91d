#!/usr/bin/env bash
# Seed 100,000 bills in one 50-member group on a throwaway PostgreSQL, serve the API with
# gunicorn in production settings on loopback, and time the hot endpoints (scripts/bench_http.py).
set -euo pipefail
cd "$(dirname "$0")/.."
BILLS="${BENCH_BILLS:-100000}"
REQUESTS="${BENCH_REQUESTS:-200}"
export DEBUG=0 SECRET_KEY="bench-secret-key-that-is-long-enough-for-django-checks-0123456789"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 THROTTLE_ENABLED=0 LOG_LEVEL=WARNING

run() {
  .venv/bin/python backend/manage.py migrate --noinput -v0
  out="$(.venv/bin/python backend/manage.py seed_bench --bills "$BILLS" --members 50)"
  gid="$(sed -n 's/^GROUP_ID=//p' <<<"$out")"
  token="$(sed -n 's/^TOKEN=//p' <<<"$out")"
  psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  .venv/bin/gunicorn paytungan.wsgi:application --chdir backend --bind "127.0.0.1:$port" \
    --workers 1 --threads 1 --access-logfile /dev/null --log-level warning &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/health/ready" >/dev/null && break; sleep 0.2; done
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(python3 -V)"
  echo "data: 1 group, 50 members, $BILLS bills; server: gunicorn 1 worker x 1 thread, PostgreSQL $(psql "$DATABASE_URL" -tAc 'show server_version')"
  .venv/bin/python scripts/bench_http.py --base-url "http://127.0.0.1:$port" --token "$token" \
    --group-id "$gid" -n "$REQUESTS"
}
export -f run
export BILLS REQUESTS
scripts/with-postgres.sh bash -c run
