"""JSON log lines with the field names Google Cloud Logging promotes (severity, message,
httpRequest), plus flat fields that are easy to grep locally."""

from __future__ import annotations

import atexit
import json
import logging
import sys
import threading
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from django.http import HttpRequest

from paytungan.common.process import current_pid
from paytungan.ops.context import request_id_var, user_id_var

# Datetimes as str() writes them, as the standard library's encoder (default=str) did.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = self.entry(record.levelname, record.getMessage(), record.created, record.name)
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
        return self.dumps(entry)

    def format_fields(
        self, levelname: str, message: str, logger_name: str, fields: dict[str, Any]
    ) -> str:
        """The line `format` writes for a record with these `extra` fields, without building
        the record (write_direct below)."""
        entry = self.entry(levelname, message, time.time(), logger_name)
        entry.update(fields)
        return self.dumps(entry)

    @staticmethod
    def entry(levelname: str, message: str, created: float, logger_name: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "severity": levelname,
            "message": message,
            "time": datetime.fromtimestamp(created, tz=UTC).isoformat(),
            "logger": logger_name,
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        user_id = user_id_var.get()
        if user_id is not None:
            entry["user_id"] = user_id
        return entry

    @staticmethod
    def dumps(entry: dict[str, Any]) -> str:
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
        if self._pid == current_pid():
            return
        with self._start_lock:
            if self._pid == current_pid():
                return
            # A forked child starts empty: the parent writes what it had queued.
            self._pending = deque()
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._write_loop, name="log-writer", daemon=True)
            self._thread.start()
            self._pid = current_pid()
            atexit.register(self.flush_and_stop)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # logging must never raise into the caller
            self.handleError(record)
            return
        self.write_line(line)

    def write_line(self, line: str) -> None:
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
        if thread is None or self._pid != current_pid() or not thread.is_alive():
            return
        self._stop.set()
        thread.join(timeout)


def write_direct(logger: logging.Logger, level: int, message: str, fields: dict[str, Any]) -> bool:
    """Write the line `logger.log(level, message, extra=fields)` would write, without the
    LogRecord and the handler chain, when that call would reach exactly one handler, a
    BackgroundStreamHandler with a JsonFormatter, and no filter on the way (production's
    configuration). False, having written nothing, in any other case (a test's capture handler,
    another formatter, a filter, a disabled logger, a line that fails to format): the caller
    then logs the usual way, whose handler reports the failure. Through logging, the request
    log line was a fifth of a hot read (docs/benchmarks.md). The caller has checked
    `logger.isEnabledFor(level)`."""
    if logger.disabled:
        return False
    found: BackgroundStreamHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return False
        for handler in current.handlers:
            if level < handler.level:
                continue
            if (
                found is not None
                or type(handler) is not BackgroundStreamHandler
                or handler.filters
                or type(handler.formatter) is not JsonFormatter
            ):
                return False
            found = handler
        current = current.parent if current.propagate else None
    if found is None:
        return False
    formatter = cast(JsonFormatter, found.formatter)  # checked above
    try:
        line = formatter.format_fields(logging.getLevelName(level), message, logger.name, fields)
    except Exception:  # logging must never raise into the caller
        return False
    found.write_line(line)
    return True
