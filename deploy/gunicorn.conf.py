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
"""

from __future__ import annotations

import os


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
worker_class = "gthread"
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
