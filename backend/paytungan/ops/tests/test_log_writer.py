"""The background log writer (ops/logging.py): lines from many threads all reach the stream,
each thread's in order, written in batches, and what is queued at stop is written out."""

from __future__ import annotations

import io
import logging
import threading

from paytungan.ops.logging import BackgroundStreamHandler


class _CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        return super().write(s)


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"test.writer.{id(handler)}")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_lines_from_many_threads_are_all_written_in_order_per_thread() -> None:
    stream = _CountingStream()
    handler = BackgroundStreamHandler(stream, interval=0.01)
    logger = _logger(handler)

    def log(t: int) -> None:
        for i in range(500):
            logger.info("t%d %d", t, i)

    threads = [threading.Thread(target=log, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler.flush_and_stop()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 8 * 500
    for t in range(8):
        assert [int(x.split()[1]) for x in lines if x.startswith(f"t{t} ")] == list(range(500))
    # Batched: far fewer writes than lines (the writer is not woken per line).
    assert stream.writes < len(lines) / 10


def test_what_is_queued_at_stop_is_written_out() -> None:
    stream = io.StringIO()
    handler = BackgroundStreamHandler(stream, interval=3600)  # the loop never wakes by itself
    logger = _logger(handler)
    logger.info("last words")
    handler.flush_and_stop()
    assert stream.getvalue() == "last words\n"
