"""What the deploy tests share to run a real server on loopback and talk raw HTTP to it.

Ports: $DEPLOY_TEST_PORT_BASE (default 25000) + 100 per xdist worker + 60 + the caller's offset
(test_gunicorn_errors: 0 and 5; test_gunicorn_worker: 10), the first free of five.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

Answer = tuple[int, dict[str, str], bytes]


def free_port(offset: int) -> int:
    base = int(os.environ.get("DEPLOY_TEST_PORT_BASE", "25000"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = base + 100 * (int(worker) if worker.isdigit() else 0) + 60 + offset
    for port in range(start, start + 5):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in this worker's range")


def read_answer(sock: socket.socket) -> Answer:
    """One HTTP answer from `sock`: (status, headers lower-cased, body). Reads to the end of
    a Content-Length body, so the connection can carry another request, or else to its close."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if length and len(body) >= int(length.group(1)):
                break
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def request(port: int, raw: bytes) -> Answer:
    """Send one raw HTTP request on a connection of its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        return read_answer(sock)


def get(port: int, path: str, *headers: str) -> Answer:
    # HTTP/1.0: the answer is never chunked, and ends when the connection closes.
    extra = "".join(f"{h}\r\n" for h in headers)
    raw = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{extra}\r\n"
    return request(port, raw.encode())


def wait_answering(
    port: int, process: subprocess.Popen[bytes], path: str = "/api/health/live"
) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered {path} on {port}")
        time.sleep(0.2)
