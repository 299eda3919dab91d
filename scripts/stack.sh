#!/usr/bin/env bash
# The production shape on this machine, without Docker (make stack / make stack-down):
#   PostgreSQL (a throwaway cluster in $STACK_DIR/pg, or $DATABASE_URL) -> migrate, collectstatic
#   -> N API instances (gunicorn, deploy/gunicorn.conf.py, production settings)
#   -> the alert relay (if backend/paytungan/relay_wsgi.py exists)
#   -> the frontend (next start, if frontend/ has a build)
#   -> nginx balancing them (deploy/nginx/stack.conf.template). Loopback only.
# Every process's pid, log and config lives in $STACK_DIR (default var/stack); `down` stops exactly
# the processes named by those pid files, and is idempotent.
#
# Usage: scripts/stack.sh up|down|status [--purge]
# Env: STACK_DIR, STACK_INSTANCES (3), STACK_PORT (8080, nginx), STACK_API_PORT (8101: first
#      instance; the next ones count up), STACK_RELAY_PORT (8201), STACK_FRONTEND_PORT (3100),
#      STACK_PG_PORT (55432), DATABASE_URL, WEB_CONCURRENCY, GUNICORN_THREADS, LOG_LEVEL,
#      THROTTLE_ENABLED, API_REQUESTS_PER_MINUTE (passed through to the instances),
#      STACK_FRONTEND=0 / STACK_RELAY=0 (leave the frontend / the relay out).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STATE="$(mkdir -p "${STACK_DIR:-var/stack}" && cd "${STACK_DIR:-var/stack}" && pwd)"
INSTANCES="${STACK_INSTANCES:-3}"
PORT="${STACK_PORT:-8080}"
API_PORT="${STACK_API_PORT:-8101}"
RELAY_PORT="${STACK_RELAY_PORT:-8201}"
FRONTEND_PORT="${STACK_FRONTEND_PORT:-3100}"
PG_PORT="${STACK_PG_PORT:-55432}"
PY="$ROOT/.venv/bin/python"
RUN="$STATE/run"
LOGS="$STATE/logs"

say() { echo "stack: $*" >&2; }
die() { say "$*"; exit 1; }

pg_bindir() {
  local found=""
  for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && found="$candidate"; done
  echo "$found"
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -sf -o /dev/null --max-time 2 "$1" && return 0
    sleep 0.2
  done
  return 1
}

# A pid file names a process we started only if that process is still the same program.
pid_alive() { # pidfile pattern
  [ -s "$1" ] || return 1
  local pid; pid="$(head -1 "$1" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

ensure_nginx() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && return 0
  [ "$(id -u)" = 0 ] || die "nginx is not installed: apt-get install nginx"
  say "installing nginx (Debian package)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
}

# --- environment of every Django process ---------------------------------------------------
write_env() {
  # A new key per stack run; kept while instances of this run are still up (a second `up`).
  if ! pid_alive "$RUN/api-1.pid" gunicorn || [ ! -s "$STATE/secret_key" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(64))' >"$STATE/secret_key")
  fi
  local origin="http://127.0.0.1:$PORT"
  (umask 077 && cat >"$STATE/env" <<EOF
DEBUG=0
SECRET_KEY=$(cat "$STATE/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=$origin,http://localhost:$PORT
FRONTEND_URL=$origin
DATABASE_URL=$DB_URL
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
NUM_PROXIES=1
EMAIL_BACKEND=console
LOG_LEVEL=${LOG_LEVEL:-INFO}
THROTTLE_ENABLED=${THROTTLE_ENABLED:-1}
API_REQUESTS_PER_MINUTE=${API_REQUESTS_PER_MINUTE:-600}
WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
GUNICORN_THREADS=${GUNICORN_THREADS:-4}
LISTEN_HOST=127.0.0.1
EOF
  )
}
load_env() { set -a; # shellcheck disable=SC1091
  . "$STATE/env"; set +a; }

# --- PostgreSQL ------------------------------------------------------------------------------
start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    DB_URL="$DATABASE_URL"; say "using DATABASE_URL from the environment"; return
  fi
  local bindir; bindir="$(pg_bindir)"
  [ -n "$bindir" ] || die "no PostgreSQL server binaries (apt-get install postgresql) and no DATABASE_URL"
  local pg="$STATE/pg"
  mkdir -p "$pg"; chmod 755 "$pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$pg"
  if [ ! -s "$pg/data/PG_VERSION" ]; then
    as_pg "$bindir/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  fi
  grep -q "^include_if_exists = 'stack.conf'" "$pg/data/postgresql.conf" ||
    echo "include_if_exists = 'stack.conf'" >>"$pg/data/postgresql.conf"
  if ! as_pg "$bindir/pg_ctl" -D "$pg/data" status >/dev/null 2>&1; then
    port_free "$PG_PORT" || die "port $PG_PORT (PostgreSQL) is in use: set STACK_PG_PORT"
    # In the data directory, so that a bare `pg_ctl start` (make faults restarts it) uses it too.
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nmax_connections = %s\n" \
      "$PG_PORT" "$pg" "${STACK_PG_MAX_CONNECTIONS:-100}" | as_pg tee "$pg/data/stack.conf" >/dev/null
    as_pg "$bindir/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 30 start >/dev/null
  fi
  echo "$bindir" >"$RUN/pg_bindir"
  echo "$PG_PORT" >"$RUN/pg_port"
  "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='paytungan'" | grep -q 1 ||
    "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres paytungan
  DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/paytungan"
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $pg/data)"
}

# --- gunicorn processes ----------------------------------------------------------------------
start_gunicorn() { # name port wsgi-module
  local name="$1" port="$2" module="$3"
  if pid_alive "$RUN/$name.pid" gunicorn; then say "$name already running"; return; fi
  port_free "$port" || die "port $port ($name) is in use"
  # setsid: each instance is its own process group, so a fault can kill it whole (kill -- -PGID).
  PORT="$port" GUNICORN_PROC_NAME="paytungan-$name" setsid "$ROOT/.venv/bin/gunicorn" "$module" \
    --config "$ROOT/deploy/gunicorn.conf.py" --chdir "$ROOT/backend" --pid "$RUN/$name.pid" \
    >>"$LOGS/$name.log" 2>&1 </dev/null &
}

start_frontend() {
  local front="$ROOT/frontend" cmd
  if [ -s "$front/.next/standalone/server.js" ]; then
    cmd=(node .next/standalone/server.js)  # output: "standalone", what the image runs
  elif [ -s "$front/.next/BUILD_ID" ] && [ -x "$front/node_modules/.bin/next" ]; then
    cmd=(node_modules/.bin/next start -H 127.0.0.1 -p "$FRONTEND_PORT")
  else
    say "frontend: no production build in frontend/.next (cd frontend && npm ci && npm run build): skipped"
    return 1
  fi
  if pid_alive "$RUN/frontend.pid" next; then say "frontend already running"; return 0; fi
  port_free "$FRONTEND_PORT" || die "port $FRONTEND_PORT (frontend) is in use"
  # exec: the recorded pid is the server itself, leader of its own process group (setsid).
  (cd "$front" && exec env NODE_ENV=production API_ORIGIN="http://127.0.0.1:$PORT" \
    PORT="$FRONTEND_PORT" HOSTNAME=127.0.0.1 setsid "${cmd[@]}") >>"$LOGS/frontend.log" 2>&1 </dev/null &
  echo $! >"$RUN/frontend.pid"
}

# --- nginx -----------------------------------------------------------------------------------
render_nginx() { # relay? frontend?
  local servers="" i
  for i in $(seq 1 "$INSTANCES"); do
    servers+="        server 127.0.0.1:$((API_PORT + i - 1)) max_fails=1 fail_timeout=3s;"$'\n'
  done
  local user_line="" relay="" hooks="" front="" roots
  [ "$(id -u)" = 0 ] && user_line="user nobody nogroup;"
  if [ "$1" = 1 ]; then
    relay=$'    upstream relay {\n        server 127.0.0.1:'"$RELAY_PORT"$' max_fails=1 fail_timeout=3s;\n    }'
    hooks=$'        location /hooks/ {\n            proxy_pass http://relay;\n        }'
  fi
  if [ "$2" = 1 ]; then
    front=$'    upstream frontend {\n        server 127.0.0.1:'"$FRONTEND_PORT"$';\n        keepalive 8;\n    }'
    # Next's hashed assets straight from the build, as a CDN would (the standalone server only
    # serves them if they are copied next to it).
    roots=$'        location /_next/static/ {\n            alias '"$ROOT"$'/frontend/.next/static/;\n            expires 1y;\n        }\n'
    roots+=$'        location ~ ^/(api|admin|static|metrics)(/|$) {\n            proxy_pass http://api;\n        }\n        location / {\n            proxy_pass http://frontend;\n        }'
  else
    roots=$'        location / {\n            proxy_pass http://api;\n        }'
  fi
  local template="$ROOT/deploy/nginx/stack.conf.template" conf="$STATE/nginx/nginx.conf"
  STATE="$STATE" PORT="$PORT" API_SERVERS="${servers%$'\n'}" USER_LINE="$user_line" \
  RELAY_UPSTREAM="$relay" HOOKS_LOCATION="$hooks" FRONTEND_UPSTREAM="$front" ROOT_LOCATIONS="$roots" \
    python3 - "$template" "$conf" <<'EOF'
import os, re, sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"\{\{(\w+)\}\}", lambda m: os.environ[m.group(1)], text))
EOF
}

start_nginx() {
  local nginx; nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$STATE/nginx/body" "$STATE/nginx/proxy" "$STATE/nginx/fastcgi" "$STATE/nginx/uwsgi" "$STATE/nginx/scgi"
  [ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$STATE/nginx"/{body,proxy,fastcgi,uwsgi,scgi}
  "$nginx" -t -q -p "$STATE/nginx" -e "$LOGS/nginx-error.log" -c "$STATE/nginx/nginx.conf"
  if pid_alive "$RUN/nginx.pid" nginx; then
    "$nginx" -p "$STATE/nginx" -e "$LOGS/nginx-error.log" -c "$STATE/nginx/nginx.conf" -s reload
  else
    port_free "$PORT" || die "port $PORT (nginx) is in use: set STACK_PORT"
    # Daemonizes and writes $RUN/nginx.pid; `-g 'daemon off;'` would keep it in the foreground.
    "$nginx" -p "$STATE/nginx" -e "$LOGS/nginx-error.log" -c "$STATE/nginx/nginx.conf"
  fi
}

up() {
  mkdir -p "$RUN" "$LOGS" "$STATE/nginx"
  [ -x "$PY" ] || die "no .venv: run 'make setup' first"
  ensure_nginx
  start_postgres
  write_env
  load_env
  say "migrating"
  "$PY" backend/manage.py migrate --noinput -v0
  "$PY" backend/manage.py collectstatic --noinput -v0
  local i
  for i in $(seq 1 "$INSTANCES"); do start_gunicorn "api-$i" $((API_PORT + i - 1)) paytungan.wsgi:application; done
  local relay=0 front=0
  if [ "${STACK_RELAY:-1}" != 1 ]; then
    say "relay: left out (STACK_RELAY=0)"
  elif [ -f backend/paytungan/relay_wsgi.py ]; then
    start_gunicorn relay "$RELAY_PORT" paytungan.relay_wsgi:application; relay=1
  else
    say "relay: backend/paytungan/relay_wsgi.py not there yet: skipped"
  fi
  if [ "${STACK_FRONTEND:-1}" = 1 ]; then start_frontend && front=1; fi
  for i in $(seq 1 "$INSTANCES"); do
    wait_http "http://127.0.0.1:$((API_PORT + i - 1))/api/health/ready" 60 ||
      die "api-$i did not become ready: see $LOGS/api-$i.log"
  done
  if [ "$relay" = 1 ] && ! wait_http "http://127.0.0.1:$RELAY_PORT/api/health/live" 30; then
    say "relay did not answer /api/health/live: see $LOGS/relay.log (left out of nginx)"; relay=0
  fi
  if [ "$front" = 1 ] && ! wait_http "http://127.0.0.1:$FRONTEND_PORT/" 60; then
    say "frontend did not answer: see $LOGS/frontend.log (left out of nginx)"; front=0
  fi
  render_nginx "$relay" "$front"
  start_nginx
  wait_http "http://127.0.0.1:$PORT/api/health/ready" 10 || die "nginx does not answer: see $LOGS/nginx-error.log"
  echo "$PORT" >"$RUN/port"
  say "$INSTANCES API instance(s) on 127.0.0.1:$API_PORT-$((API_PORT + INSTANCES - 1)); state in $STATE"
  echo ""
  echo "  Paytungan (production shape) is running at http://127.0.0.1:$PORT/"
  [ "$front" = 1 ] || echo "  (API only: http://127.0.0.1:$PORT/api/docs; build the frontend to serve it too)"
  echo "  Stop it with: make stack-down"
  echo ""
}

stop_pidfile() { # pidfile pattern: TERM the process group, then KILL after 10 s
  local file="$1" pattern="$2" pid
  if ! pid_alive "$file" "$pattern"; then rm -f "$file"; return 0; fi
  pid="$(head -1 "$file")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$file"
}

down() {
  [ -d "$RUN" ] || { say "nothing to stop in $STATE"; return 0; }
  if pid_alive "$RUN/nginx.pid" nginx; then
    kill -QUIT "$(head -1 "$RUN/nginx.pid" 2>/dev/null)" 2>/dev/null || true
    for _ in $(seq 50); do pid_alive "$RUN/nginx.pid" nginx || break; sleep 0.1; done
  fi
  rm -f "$RUN/nginx.pid"
  local file
  for file in "$RUN"/api-*.pid "$RUN"/relay.pid; do [ -e "$file" ] && stop_pidfile "$file" gunicorn; done
  [ -e "$RUN/frontend.pid" ] && stop_pidfile "$RUN/frontend.pid" next
  if [ -s "$RUN/pg_bindir" ] && [ -d "$STATE/pg/data" ]; then
    as_pg "$(cat "$RUN/pg_bindir")/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -f "$RUN/port"
  if [ "${1:-}" = --purge ]; then rm -rf "$STATE"; say "stopped; removed $STATE"; else say "stopped (logs and data kept in $STATE)"; fi
}

status() {
  local file
  for file in "$RUN"/*.pid; do
    [ -e "$file" ] || continue
    if kill -0 "$(head -1 "$file")" 2>/dev/null; then echo "$(basename "$file" .pid): running"; else echo "$(basename "$file" .pid): gone"; fi
  done
}

case "${1:-up}" in
  up) up ;;
  down) down "${2:-}" ;;
  status) status ;;
  *) die "usage: $0 up|down|status [--purge]" ;;
esac
