"""gunicorn settings for every deployment: the container (Cloud Run), the local `make stack`.

Everything is read from the environment so one image serves every size:

  PORT                       listen port (Cloud Run sets it; default 8000)
  LISTEN_HOST                listen address (default 0.0.0.0; the local stack uses 127.0.0.1)
  WEB_CONCURRENCY            worker processes (default 2)
  GUNICORN_THREADS           threads per worker (default 4)
                             (Cloud Run's concurrency = workers x threads)
  GUNICORN_TIMEOUT           seconds a request may run before its worker is restarted (default 30)
  GUNICORN_GRACEFUL_TIMEOUT  seconds in-flight requests get after SIGTERM (default 8; must stay
                             below Cloud Run's 10 s between SIGTERM and SIGKILL)
  GUNICORN_KEEPALIVE         idle keep-alive seconds (default 620: above whatever proxy reuses
                             idle connections, Google's front end 600 s, nginx 4 s; operations.md)
  GUNICORN_MAX_REQUESTS      recycle a worker after this many requests (default 0: never)
  GUNICORN_LOG_LEVEL         gunicorn's own log level (default info)
  FORWARDED_ALLOW_IPS        proxies trusted for X-Forwarded-* (default 127.0.0.1,::1)

The access log is off: the app writes one JSON line per request itself (RequestLogMiddleware).

Requests gunicorn refuses before the app sees them (a request line over limit_request_line, a
header over limit_request_field_size, a malformed request) are answered in the API's error shape
too, not gunicorn's HTML page: see _json_error below.
"""

from __future__ import annotations

import json
import os
import socket
import sys


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name}: must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name}: must be at least {minimum}, got {value}")
    return value


bind = f"{os.environ.get('LISTEN_HOST', '0.0.0.0')}:{_int('PORT', 8000, 1)}"  # noqa: S104
workers = _int("WEB_CONCURRENCY", 2, 1)
threads = _int("GUNICORN_THREADS", 4, 1)
# gthread, spreading new connections over the workers (deploy/gthread_balanced.py). Imported
# from beside this file, in the master before any worker forks.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
worker_class = "gthread_balanced.ThreadWorker"
timeout = _int("GUNICORN_TIMEOUT", 30, 1)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 8, 1)
if graceful_timeout >= 10:
    raise SystemExit("GUNICORN_GRACEFUL_TIMEOUT: must be below 10 (Cloud Run kills at 10 s)")
keepalive = _int("GUNICORN_KEEPALIVE", 620, 1)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False
proc_name = os.environ.get("GUNICORN_PROC_NAME", "paytungan")
# Heartbeat files in memory: a slow or read-only /tmp (containers) must not stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# gunicorn 25+'s control socket defaults to one path under $HOME: several instances on one host
# would fight over it, and a container's home may be read-only. Nothing here uses it.
control_socket_disable = True

# --- Prometheus multiprocess mode (docs/capacity.md, "Metrics"; added with the metrics) --------
# Each worker writes its metric values to files in PROMETHEUS_MULTIPROC_DIR and GET /metrics sums
# them, so a scrape sees every worker, not whichever one answered. The directory belongs to one
# master and must start empty (old files would add a previous run's counts): a fresh one is made
# here, before any worker imports prometheus_client, unless the environment names one.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
_metrics_dir_ours = not _metrics_dir
if _metrics_dir_ours:
    import tempfile

    _metrics_dir = tempfile.mkdtemp(prefix="paytungan-metrics-", dir=worker_tmp_dir)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir
else:
    os.makedirs(_metrics_dir, exist_ok=True)
    for _name in os.listdir(_metrics_dir):
        if _name.endswith(".db"):
            os.remove(os.path.join(_metrics_dir, _name))


def child_exit(server: object, worker: object) -> None:
    # A dead worker's in-flight gauge must stop counting; its counters stay (they are totals).
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, _metrics_dir)  # type: ignore[attr-defined]


def on_exit(server: object) -> None:
    if _metrics_dir_ours:
        import shutil

        shutil.rmtree(_metrics_dir, ignore_errors=True)


# --- Errors gunicorn answers itself -------------------------------------------------------------
# gunicorn answers what it refuses to parse (request line over limit_request_line: 414; a header
# over limit_request_field_size, or more than limit_request_fields: 431; a malformed request: 400)
# with an HTML page of its own, written by gunicorn.util.write_error. Cloud Run puts nothing in
# front that would reshape it, so that one function is replaced, in the master before any worker
# forks, by one writing the API's error shape (paytungan.common.errors; DESIGN.md, "Errors").
# English only: Django (and the request's language) is not loaded here. The limits stay
# gunicorn's defaults (4094 bytes for the request line, 8190 for a header): no API URL comes near.
_GUNICORN_ERRORS = {
    400: ("bad_request", "Bad request."),
    403: ("forbidden", "Forbidden."),
    414: ("uri_too_long", "The request URL is too long."),
    417: ("expectation_failed", "Expectation failed."),
    431: ("headers_too_large", "The request headers are too large."),
    500: ("server_error", "Something went wrong on our side."),
    501: ("not_implemented", "Not implemented."),
}


def _json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    from gunicorn import util

    code, message = _GUNICORN_ERRORS.get(status_int, ("bad_request", reason or "Bad request."))
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def on_starting(server: object) -> None:
    from gunicorn import util
    from gunicorn.workers import base

    # Fail the start, not silently answer HTML, if an upgrade moves the function.
    if not callable(getattr(util, "write_error", None)) or base.util is not util:
        raise SystemExit("gunicorn.util.write_error is gone: update _json_error in this file")
    util.write_error = _json_error
