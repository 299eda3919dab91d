#!/usr/bin/env bash
# Horizontal scaling on this machine: throughput of a read-heavy mix (12 reader threads: bills
# page, balances, members, groups, settle; 1 writer creating bills) through nginx with 1, 2 and 3
# API instances (each 2 workers x 4 threads). Loopback only, bounded (~2.5 min).
# Usage: scripts/stack-bench.sh [instance counts, default "1 2 3"]   (numbers: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
export STACK_DIR=var/stack-bench STACK_PORT=39080 STACK_API_PORT=39101 STACK_RELAY_PORT=39201 \
  STACK_PG_PORT=59432 STACK_FRONTEND=0 STACK_RELAY=0 LOG_LEVEL=WARNING THROTTLE_ENABLED=0
unset DATABASE_URL
SECONDS_PER_RUN="${BENCH_SECONDS:-20}"
trap 'scripts/stack.sh down >/dev/null 2>&1 || true' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "| API instances | gunicorn workers | requests/s | reads/s | writes/s | p50 ms | p95 ms | errors | machine CPU busy | load avg | stack CPU ms/request | client CPU ms/request |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in ${1:-1 2 3}; do
  scripts/stack.sh down --purge >/dev/null 2>&1 || true
  STACK_INSTANCES="$n" scripts/stack.sh up >/dev/null 2>&1
  out="$(set -a && . var/stack-bench/env && set +a &&
    .venv/bin/python backend/manage.py seed_bench --bills 5000 --members 20 2>/dev/null)"
  gid="$(sed -n 's/^GROUP_ID=//p' <<<"$out")"
  token="$(sed -n 's/^TOKEN=//p' <<<"$out")"
  members="$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$STACK_PORT/api/groups/$gid/members" |
    python3 -c 'import json,sys; print(",".join(str(m["id"]) for m in json.load(sys.stdin)["items"]))')"
  result="$(.venv/bin/python scripts/faults_load.py --base-url "http://127.0.0.1:$STACK_PORT" \
    --token "$token" --group-id "$gid" --members "$members" --readers 12 --writers 1 \
    --seconds "$SECONDS_PER_RUN" --stack-dir var/stack-bench)"
  python3 - "$n" "$result" <<'PY'
import json, sys
n, r = int(sys.argv[1]), json.loads(sys.argv[2])
print(f"| {n} | {n * 2} | {r['requests_per_s']} | {r['reads_per_s']} | {r['writes_per_s']} "
      f"| {r['p50_ms']} | {r['p95_ms']} | {r['errors']} | {r['machine_cpu_busy']:.0%} "
      f"| {r['load_average']} | {r['server_cpu_ms_per_request']} | {r['client_cpu_ms_per_request']} |")
PY
done
scripts/stack.sh down --purge >/dev/null 2>&1
