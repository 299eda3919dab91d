"""Production's gunicorn worker (deploy/gthread_balanced.py) spreads a burst of new
connections over the workers, instead of letting the first one awake take them all.

gunicorn runs with deploy/gunicorn.conf.py, 2 workers x 4 threads, serving an app that answers
with its worker's pid. Ports: deploy/tests/servers.py (offset 10).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy.tests.servers import DEPLOY, ROOT, free_port, read_answer, wait_answering

THREADS = 4
CONNECTIONS = 16


@pytest.fixture(scope="module")
def pid_port() -> Iterator[int]:
    port = free_port(10)
    env = os.environ | {
        "LISTEN_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": str(THREADS),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pid_app:application",
         "--config", str(DEPLOY / "gunicorn.conf.py"), "--chdir", str(ROOT / "backend"),
         "--pythonpath", str(Path(__file__).parent)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_answering(port, process, path="/")
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def _burst(port: int) -> Counter[str]:
    """Open CONNECTIONS connections at once, keep them all open, and ask each which worker
    holds it."""
    sockets = [
        socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CONNECTIONS)
    ]
    try:
        for sock in sockets:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        return Counter(read_answer(sock)[2].decode() for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_burst_of_connections_is_spread_over_both_workers(pid_port: int) -> None:
    # Plain gthread put all 16 on one worker in about one burst in four on a 2-core machine.
    for _ in range(8):
        pids = _burst(pid_port)
        assert sum(pids.values()) == CONNECTIONS
        assert len(pids) == 2, pids
        assert min(pids.values()) >= THREADS, pids
