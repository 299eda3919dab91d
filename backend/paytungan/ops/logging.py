"""JSON log lines with the field names Google Cloud Logging promotes (severity, message,
httpRequest), plus flat fields that are easy to grep locally."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest

from paytungan.ops.context import request_id_var, user_id_var

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
        return json.dumps(entry, default=str, ensure_ascii=False)
