#!/usr/bin/env bash
# Side-by-side throughput (docs/benchmarks.md, "Request path"): bare Django vs the API's hot
# endpoints, production's gunicorn config for all (2 workers x 4 threads),
# production settings (DEBUG=0, throttle on, INFO request log), a throwaway PostgreSQL with
# BENCH_BILLS bills in one 50-member group, wrk on loopback in interleaved rounds
# (scripts/bench/throughput.py).
#
# BENCH_BEFORE=<dir of another checkout>: also serve that checkout's backend (e.g. main) from
# the same database and measure it in the same rounds, for a before/after in one run.
# Ports: BENCH_PORT_BASE (default 22000) + 1..3; PostgreSQL on BENCH_PORT_BASE + 10.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_BILLS="${BENCH_BILLS:-10000}" BENCH_ROUNDS="${BENCH_ROUNDS:-3}"
export BENCH_SECONDS="${BENCH_SECONDS:-10}" BENCH_BEFORE="${BENCH_BEFORE:-}"
export BENCH_PORT_BASE="${BENCH_PORT_BASE:-22000}"
export PG_PORT="$((BENCH_PORT_BASE + 10))"
export DEBUG=0 SECRET_KEY="bench-secret-key-that-is-long-enough-for-django-checks-0123456789"
export ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 THROTTLE_ENABLED=1 LOG_LEVEL=INFO
# The limit is counted on every request but set high enough never to refuse one here.
export API_REQUESTS_PER_MINUTE=1000000000

run() {
  set -euo pipefail
  .venv/bin/python backend/manage.py migrate --noinput -v0
  out="$(.venv/bin/python backend/manage.py seed_bench --bills "$BENCH_BILLS" --members 50 2>/dev/null)"
  gid="$(sed -n 's/^GROUP_ID=//p' <<<"$out")"
  token="$(sed -n 's/^TOKEN=//p' <<<"$out")"
  psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
  # Production's gunicorn config for every target (deploy/gunicorn.conf.py: the balanced gthread
  # worker, no access log, Prometheus' multiprocess files), 2 workers x 4 threads.
  export WEB_CONCURRENCY=2 GUNICORN_THREADS=4 GUNICORN_LOG_LEVEL=warning LISTEN_HOST=127.0.0.1
  gun=(--config "$PWD/deploy/gunicorn.conf.py")
  pids=()
  trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  logs="$(mktemp -d)"  # each server's JSON log: its errors are reported after the table
  serve() { # port chdir module
    .venv/bin/gunicorn "$3" --chdir "$2" --bind "127.0.0.1:$1" "${gun[@]}" >"$logs/$1.log" &
    pids+=($!)
  }
  bare=$((BENCH_PORT_BASE + 1)); app=$((BENCH_PORT_BASE + 2)); before=$((BENCH_PORT_BASE + 3))
  serve "$bare" scripts/bench bare_django:application
  serve "$app" backend paytungan.wsgi:application
  [ -n "$BENCH_BEFORE" ] && serve "$before" "$BENCH_BEFORE/backend" paytungan.wsgi:application
  for port in $bare $app ${BENCH_BEFORE:+$before}; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/groups" -H "Authorization: Bearer $token" >/dev/null && break; sleep 0.2; done
  done
  body="$(mktemp)"
  curl -sf "http://127.0.0.1:$app/api/groups/$gid/members" -H "Authorization: Bearer $token" |
    .venv/bin/python -c '
import json, sys
ids = [m["id"] for m in json.load(sys.stdin)["items"]][:4]
print(json.dumps({"title": "Bench dinner", "date": "2026-11-20", "total": "300000",
  "payers": [{"member_id": ids[0], "amount": "300000"}],
  "split": {"mode": "equal", "members": [{"member_id": m} for m in ids]}}))' >"$body"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(python3 -V), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "data: 1 group, 50 members, $BENCH_BILLS bills; PostgreSQL $(psql "$DATABASE_URL" -tAc 'show server_version'); gunicorn 2 workers x 4 threads each (balanced gthread); wrk -t2, $BENCH_ROUNDS rounds x ${BENCH_SECONDS}s"
  master() { pgrep -f -o "gunicorn .*127.0.0.1:$1" ; }
  cases=(--case "bare Django JsonResponse=http://127.0.0.1:$bare/api/groups@$(master $bare)")
  if [ -n "$BENCH_BEFORE" ]; then
    cases+=(--case "before: GET /api/groups=http://127.0.0.1:$before/api/groups@$(master $before)")
    cases+=(--case "before: GET balances=http://127.0.0.1:$before/api/groups/$gid/balances@$(master $before)")
  fi
  cases+=(--case "GET /api/groups=http://127.0.0.1:$app/api/groups@$(master $app)")
  cases+=(--case "GET balances=http://127.0.0.1:$app/api/groups/$gid/balances@$(master $app)")
  [ -n "$BENCH_BEFORE" ] && cases+=(--case "before: POST bill=http://127.0.0.1:$before/api/groups/$gid/bills,POST,$body,4@$(master $before)")
  cases+=(--case "POST bill (create)=http://127.0.0.1:$app/api/groups/$gid/bills,POST,$body,4@$(master $app)")
  .venv/bin/python scripts/bench/throughput.py --token "$token" --rounds "$BENCH_ROUNDS" \
    --seconds "$BENCH_SECONDS" "${cases[@]}"
  for log in "$logs"/*.log; do
    # The app's own time for its slowest requests (a client-side timeout with none here was
    # spent queued in gunicorn or the kernel, not in the app).
    .venv/bin/python -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
slow = sorted((l for l in lines if l.get("duration_ms")), key=lambda l: -l["duration_ms"])[:3]
if slow and slow[0]["duration_ms"] >= 1000:
    said = "; ".join(l["message"] + " at " + l["time"] for l in slow)
    print(f"port {sys.argv[2]}: its slowest requests: {said}")
' "$log" "$(basename "$log" .log)"
    n="$(grep -c '"severity":"ERROR"' "$log" || true)"
    if [ "$n" != 0 ]; then
      echo "port $(basename "$log" .log): $n error line(s) in its log, the first:"
      grep -m3 '"severity":"ERROR"' "$log" | cut -c1-600
    fi
  done
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then cp -r "$logs" "$BENCH_KEEP_LOGS"; fi
  rm -rf "$body" "$logs"
}
export -f run
scripts/with-postgres.sh bash -c run
