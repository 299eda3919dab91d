#!/usr/bin/env bash
# Bill create against a peer (docs/benchmarks.md): Paytungan and ihatemoney 7.2.1 served by the
# same gunicorn command (2 workers x 4 gthreads) from one throwaway PostgreSQL (two databases),
# BENCH_BILLS bills in one 50-member group/project (ihatemoney's written set-based into its own
# database: scripts/bench/peer_ihatemoney_seed.sql), then sequential creates in interleaved
# rounds and a few reads each (scripts/bench/peer_bill_create.py). ihatemoney goes into its own
# venv under var/bench/ (from PyPI, pinned); nothing of it ships with Paytungan.
# Ports: BENCH_PORT_BASE (default 22100) + 1..3; PostgreSQL on BENCH_PORT_BASE + 10.
# BENCH_BEFORE=<dir of another checkout>: also serve that checkout's backend (e.g. main) from the
# same database, timed in the same interleaved rounds (same schema needed).
# BENCH_ROUNDS (default 3): interleaved rounds the BENCH_REQUESTS creates are split into.
# Repeat runs on one big group: DATABASE_URL=<a database seed_bench filled> and
# BENCH_SEEDED=<file holding that seed_bench's output> skip our seeding (ihatemoney's is redone
# in a new database each run; BENCH_BILLS must say how many bills that group has).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_BILLS="${BENCH_BILLS:-1000}" BENCH_REQUESTS="${BENCH_REQUESTS:-300}"
export BENCH_PORT_BASE="${BENCH_PORT_BASE:-22100}" BENCH_BEFORE="${BENCH_BEFORE:-}"
export BENCH_ROUNDS="${BENCH_ROUNDS:-3}"
export PG_PORT="$((BENCH_PORT_BASE + 10))"
export DEBUG=0 SECRET_KEY="bench-secret-key-that-is-long-enough-for-django-checks-0123456789"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 THROTTLE_ENABLED=1 LOG_LEVEL=INFO
export API_REQUESTS_PER_MINUTE=1000000000
venv=var/bench/ihatemoney-venv
if [ ! -x "$venv/bin/ihatemoney" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "ihatemoney==7.2.1" "psycopg2-binary==2.9.*" "gunicorn==23.*"
fi
export IHM_VENV="$PWD/$venv"
# The machine may be shared: say how loaded it was before anything of ours started.
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

run() {
  set -euo pipefail
  .venv/bin/python backend/manage.py migrate --noinput -v0
  if [ -n "${BENCH_SEEDED:-}" ]; then
    out="$(cat "$BENCH_SEEDED")"  # seed_bench's output for a group already in DATABASE_URL
  else
    out="$(.venv/bin/python backend/manage.py seed_bench --bills "$BENCH_BILLS" --members 50 2>/dev/null)"
  fi
  gid="$(sed -n 's/^GROUP_ID=//p' <<<"$out")"
  token="$(sed -n 's/^TOKEN=//p' <<<"$out")"
  ihm_name="ihatemoney_$(date +%s)_$$"  # new each run, also in a reused cluster
  psql "$DATABASE_URL" -qc "CREATE DATABASE $ihm_name"
  ihm_db="${DATABASE_URL%/*}/$ihm_name"
  conf="$(mktemp --suffix=.cfg)"
  cat >"$conf" <<CFG
SQLALCHEMY_DATABASE_URI = "${ihm_db/postgres:/postgresql:}"
SQLALCHEMY_TRACK_MODIFICATIONS = False
SECRET_KEY = "bench-only-not-a-secret-0123456789"
ACTIVATE_DEMO_PROJECT = False
ALLOW_PUBLIC_PROJECT_CREATION = True
ACTIVATE_ADMIN_DASHBOARD = False
CFG
  # --timeout 600: ihatemoney's GET project takes seconds at 100k bills; gunicorn's default 30 s
  # would kill the worker mid-request. Same for both apps; it changes nothing under 30 s.
  gun=(--workers 2 --threads 4 --worker-class gthread --timeout 600 --access-logfile /dev/null
    --log-level warning)
  pids=()
  trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -f "$conf"' EXIT
  ours=$((BENCH_PORT_BASE + 1)); peer=$((BENCH_PORT_BASE + 2)); before=$((BENCH_PORT_BASE + 3))
  .venv/bin/gunicorn paytungan.wsgi:application --chdir backend --bind "127.0.0.1:$ours" "${gun[@]}" >/dev/null &
  pids+=($!)
  if [ -n "$BENCH_BEFORE" ]; then
    .venv/bin/gunicorn paytungan.wsgi:application --chdir "$BENCH_BEFORE/backend" \
      --bind "127.0.0.1:$before" "${gun[@]}" >/dev/null &
    pids+=($!)
  fi
  # --preload: the app (and its alembic upgrade) is built once, not by both workers at once.
  IHATEMONEY_SETTINGS_FILE_PATH="$conf" "$IHM_VENV/bin/gunicorn" ihatemoney.wsgi:application --preload \
    --bind "127.0.0.1:$peer" "${gun[@]}" >var/bench/ihatemoney.log 2>&1 &
  pids+=($!)
  for url in "http://127.0.0.1:$ours/api/health/ready" "http://127.0.0.1:$peer/" \
    ${BENCH_BEFORE:+"http://127.0.0.1:$before/api/health/ready"}; do
    for _ in $(seq 150); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
  done
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(python3 -V), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "PostgreSQL $(psql "$DATABASE_URL" -tAc 'show server_version'); gunicorn 2 workers x 4 gthreads each"
  .venv/bin/python scripts/bench/peer_bill_create.py --paytungan "http://127.0.0.1:$ours" \
    --token "$token" --group-id "$gid" --ihatemoney "http://127.0.0.1:$peer" \
    --bills "$BENCH_BILLS" --requests "$BENCH_REQUESTS" --reads "${BENCH_READS:-3}" \
    --rounds "$BENCH_ROUNDS" --ihatemoney-db "$ihm_db" \
    ${BENCH_BEFORE:+--before "http://127.0.0.1:$before"}
}
export -f run
scripts/with-postgres.sh bash -c run
