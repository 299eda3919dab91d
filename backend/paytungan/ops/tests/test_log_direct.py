"""The request log line written without a LogRecord (ops/logging.py, write_direct): the same
line logging writes, taken only where logging would hand the record to production's one
handler and nothing else."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from paytungan.ops.context import request_id_var, user_id_var
from paytungan.ops.logging import BackgroundStreamHandler, JsonFormatter, write_direct
from paytungan.ops.middleware import log_request

FIELDS: dict[str, Any] = {
    "method": "GET",
    "path": "/api/groups",
    "status": 200,
    "duration_ms": 1.25,
    "request_id": "req-9",
    "user_id": 7,
    "httpRequest": {"requestMethod": "GET", "userAgent": "kopi/1 ☕", "responseSize": None},
}


@pytest.fixture
def stream() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def production(stream: io.StringIO) -> tuple[logging.Logger, BackgroundStreamHandler]:
    """A logger shaped as settings.LOGGING shapes paytungan.request: no handler of its own,
    propagating to a parent with the one background JSON handler. Outside logging's registry:
    pytest attaches its capture handler to every registered logger that does not propagate."""
    parent = logging.Logger("test.direct")
    handler = BackgroundStreamHandler(stream, interval=3600)  # written out at flush_and_stop
    handler.setFormatter(JsonFormatter())
    parent.addHandler(handler)
    parent.propagate = False
    parent.setLevel(logging.INFO)
    child = logging.Logger("test.direct.request")
    child.parent = parent
    return child, handler


def _written(handler: BackgroundStreamHandler, stream: io.StringIO) -> list[dict[str, Any]]:
    handler.flush_and_stop()
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_direct_line_is_the_line_logging_writes(production: Any, stream: io.StringIO) -> None:
    logger, handler = production
    rid, uid = request_id_var.set("outer-req"), user_id_var.set(3)
    try:
        assert write_direct(logger, logging.WARNING, "GET /api/groups 200 1.25ms", dict(FIELDS))
        logger.warning("GET /api/groups 200 1.25ms", extra=dict(FIELDS))
    finally:
        request_id_var.reset(rid)
        user_id_var.reset(uid)
    direct, logged = _written(handler, stream)
    assert direct.pop("time")[:4] == logged.pop("time")[:4]
    # The same keys in the same order, with the same values.
    assert list(direct.items()) == list(logged.items())
    assert direct["severity"] == "WARNING"
    assert direct["logger"] == logger.name


def _filter_on_logger(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.addFilter(lambda record: True)


def _filter_on_handler(logger: logging.Logger, handler: logging.Handler) -> None:
    handler.addFilter(lambda record: True)


def _second_handler(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.addHandler(logging.StreamHandler(io.StringIO()))


def _another_formatter(logger: logging.Logger, handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter("%(message)s"))


def _disabled(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.disabled = True


def _handler_above_the_level(logger: logging.Logger, handler: logging.Handler) -> None:
    handler.setLevel(logging.ERROR)


def _no_propagation(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.propagate = False


@pytest.mark.parametrize(
    "change",
    [
        _filter_on_logger,
        _filter_on_handler,
        _second_handler,
        _another_formatter,
        _disabled,
        _handler_above_the_level,
        _no_propagation,
    ],
)
def test_anything_but_production_s_one_handler_is_left_to_logging(
    production: Any, stream: io.StringIO, change: Callable[..., None]
) -> None:
    logger, handler = production
    change(logger, handler)
    try:
        assert not write_direct(logger, logging.INFO, "GET /api/groups 200 1.25ms", dict(FIELDS))
    finally:
        logger.filters, logger.handlers = [], []
        logger.disabled, logger.propagate = False, True
    assert _written(handler, stream) == []


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for this")


def test_a_line_that_fails_to_format_is_left_to_logging(
    production: Any, stream: io.StringIO
) -> None:
    logger, handler = production
    assert not write_direct(logger, logging.INFO, "odd", {"value": _Unprintable()})
    assert _written(handler, stream) == []


def test_the_project_s_logging_settings_take_the_direct_path(monkeypatch: Any) -> None:
    """Under settings.LOGGING (which the tests run with), a request's line is written directly:
    the saving the hot reads count on is not lost to a configuration detail."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is BackgroundStreamHandler]
    assert len(handlers) == 1
    lines: list[str] = []
    monkeypatch.setattr(handlers[0], "write_line", lines.append)
    log_request(
        meta={"HTTP_USER_AGENT": "pytest", "REMOTE_ADDR": "127.0.0.1"},
        method="GET",
        path="/api/groups",
        status=200,
        duration_ms=0.5,
        request_id="req-direct",
        user_id=None,
        request_size=0,
        response_size=12,
    )
    assert [json.loads(line)["request_id"] for line in lines] == ["req-direct"]
