"""JSON log lines with the field names Google Cloud Logging promotes (severity, message,
httpRequest), plus flat fields that are easy to grep locally."""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any

import orjson
from django.http import HttpRequest

from paytungan.ops.context import request_id_var, user_id_var

# Datetimes as str() writes them, as the standard library's encoder (default=str) did.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "logger": record.name,
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        user_id = user_id_var.get()
        if user_id is not None:
            entry.setdefault("user_id", user_id)
        for key, value in vars(record).items():
            if key in _RESERVED or key.startswith("_"):
                continue
            if isinstance(value, HttpRequest):
                # Django's loggers attach the request; its repr has the query string, which can
                # carry secrets. Keep the method and path only.
                value = {"method": value.method, "path": value.path}
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(entry, default=str, option=_ORJSON_OPTIONS).decode()
        except TypeError:  # what orjson refuses (an int past 64 bits): the slower, lenient way
            return json.dumps(entry, default=str, ensure_ascii=False)


class BackgroundStreamHandler(logging.Handler):
    """Formats in the calling thread (the request's context variables are read there) and
    leaves the write to one background thread per process, which writes whatever has queued
    up every `interval` seconds in one call. A request thread never waits on the stream's lock
    or on a slow stdout pipe, so one worker's log line can't hold up its other threads; nor
    does it wake the writer: a wake-up per line cost a thread switch per request, about 0.1 ms
    of CPU (docs/benchmarks.md, "Request path").

    The writer thread is started on first use in each process (gunicorn forks after import),
    and what is queued is written out at exit."""

    def __init__(self, stream: Any = None, interval: float = 0.05) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stdout
        self.interval = interval
        # deque.append and popleft are atomic: no lock between the request threads and the writer.
        self._pending: deque[str] = deque()
        self._stop = threading.Event()
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _ensure_writer(self) -> None:
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            # A forked child starts empty: the parent writes what it had queued.
            self._pending = deque()
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._write_loop, name="log-writer", daemon=True)
            self._thread.start()
            self._pid = os.getpid()
            atexit.register(self.flush_and_stop)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # logging must never raise into the caller
            self.handleError(record)
            return
        self._ensure_writer()
        self._pending.append(line)

    def _write_loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._write_pending()
        self._write_pending()

    def _write_pending(self) -> None:
        lines: list[str] = []
        take = self._pending.popleft
        try:
            while True:
                lines.append(take())
        except IndexError:
            pass
        if not lines:
            return
        try:
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            pass  # stdout gone (shutdown): nothing left to tell

    def flush_and_stop(self, timeout: float = 2.0) -> None:
        thread = self._thread
        if thread is None or self._pid != os.getpid() or not thread.is_alive():
            return
        self._stop.set()
        thread.join(timeout)
