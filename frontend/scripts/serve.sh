#!/usr/bin/env bash
# One URL for the whole app: Next (`next start`) on $PORT proxies /api to gunicorn on
# $API_PORT. Ctrl-C (or SIGTERM) stops both; if either exits, the other is stopped too.
# Called by `make run` (which migrates, loads demo data and builds the frontend first).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
: "${HOST:=127.0.0.1}" "${PORT:=8000}" "${API_PORT:=8001}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# --keep-alive: Next's proxy keeps its upstream connections open with no idle timeout of its own
# and reuses them; with gunicorn's default 2 s, a request sent as gunicorn closes an idle one
# fails ("Failed to proxy ... socket hang up", a plain-text 500). Idle connections then stay open
# up to 75 s instead (Next keeps at most 64 idle; gthread holds them in its poller, not a thread).
(cd "$ROOT" && exec .venv/bin/gunicorn paytungan.wsgi:application --chdir backend \
  --bind "127.0.0.1:$API_PORT" --workers 2 --threads 4 --keep-alive 75 --graceful-timeout 3 --access-logfile /dev/null) &
pids+=($!)
(cd "$ROOT/frontend" && NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=server \
  exec node_modules/.bin/next start -H "$HOST" -p "$PORT") &
pids+=($!)

# Whichever stops first (crash, port in use) takes the other down with it.
wait -n
status=$?
echo "serve: a server stopped (exit $status); stopping the other" >&2
exit "$status"
