"""A local HTTP server standing in for Sentry's ingestion: it records what the SDK POSTs to
/api/<project>/envelope/, decompressed and split into items."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def parse_envelope(raw: bytes) -> list[tuple[dict[str, Any], bytes]]:
    _header, _, rest = raw.partition(b"\n")
    items = []
    while rest.strip():
        item_line, _, rest = rest.partition(b"\n")
        item_header = json.loads(item_line)
        length = item_header.get("length")
        if length is None:
            payload, _, rest = rest.partition(b"\n")
        else:
            payload, rest = rest[:length], rest[length + 1 :]
        items.append((item_header, payload))
    return items


class SentryStub:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.envelopes: list[tuple[str, bytes]] = []  # (path, decompressed body)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def dsn(self) -> str:
        return f"http://public@127.0.0.1:{self._server.server_address[1]}/1"

    def start(self) -> SentryStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                json.loads(payload)
                for _, body in self.envelopes
                for header, payload in parse_envelope(body)
                if header.get("type") == "event"
            ]

    def raw(self) -> bytes:
        with self.lock:
            return b"\n".join(body for _, body in self.envelopes)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":  # the SDK prefers brotli when the module is installed
                    import brotli

                    body = brotli.decompress(body)
                with stub.lock:
                    stub.envelopes.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
