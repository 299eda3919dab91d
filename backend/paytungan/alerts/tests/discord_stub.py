"""A local HTTP server standing in for a Discord webhook.

It checks every message against Discord's documented limits (answering 400 like Discord would,
and recording the violation), then answers from a script: 204, 429 with retry_after, 500, a
hang (no answer until the client gives up), 404, 401. Accepted messages are recorded with the
time they were accepted.

Like Discord, a message posted without `?wait=true` is answered 204 before it is saved, and one
that then fails to save returns no error: `unsaved(n)` makes the next n messages fail so (lost
silently without wait=true; answered 500 with it).

With `bucket(limit, window)` it also enforces a rate-limit bucket the way Discord does: every
answer carries X-RateLimit-Limit / -Remaining / -Reset-After / -Bucket, and a request over the
limit is answered 429 and counted in `bucket_violations`.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 204
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to sit on the request, then drop it unanswered
    delay: float = 0.0  # seconds before answering normally
    saved: bool = True  # False: answered 2xx, but the message never shows up (see unsaved)


OK = Reply(204)
SERVER_ERROR = Reply(500, {"message": "500: Internal Server Error", "code": 0})
UNKNOWN_WEBHOOK = Reply(404, {"message": "Unknown Webhook", "code": 10015})
INVALID_TOKEN = Reply(401, {"message": "Invalid Webhook Token", "code": 50027})


def rate_limited(retry_after: float, *, header: bool = True, body: bool = True) -> Reply:
    return Reply(
        429,
        {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        if body
        else None,
        {"Retry-After": str(max(int(retry_after + 0.999), 1))} if header else {},
    )


def hang(seconds: float) -> Reply:
    return Reply(hang=seconds)


@dataclass(frozen=True)
class Accepted:
    at: float  # time.monotonic()
    body: dict[str, Any]


def limit_violations(body: Any) -> list[str]:
    """Discord's documented message limits; an empty list means Discord would accept it."""

    def n(text: Any) -> int:
        return len(str(text).encode("utf-16-le")) // 2

    problems = []
    if not isinstance(body, dict):
        return ["body is not an object"]
    embeds = body.get("embeds") or []
    if not embeds and not body.get("content"):
        problems.append("empty message")
    if n(body.get("content", "")) > 2000:
        problems.append("content > 2000")
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for embed in embeds:
        title, description = embed.get("title", ""), embed.get("description", "")
        fields = embed.get("fields", [])
        footer = embed.get("footer", {}).get("text", "")
        author = embed.get("author", {}).get("name", "")
        if n(title) > 256:
            problems.append("title > 256")
        if n(description) > 4096:
            problems.append("description > 4096")
        if len(fields) > 25:
            problems.append("more than 25 fields")
        for f in fields:
            if not f.get("name") or not f.get("value"):
                problems.append("empty field name or value")
            if n(f.get("name", "")) > 256:
                problems.append("field name > 256")
            if n(f.get("value", "")) > 1024:
                problems.append("field value > 1024")
        if n(footer) > 2048:
            problems.append("footer > 2048")
        url = embed.get("url")
        if url is not None and not str(url).startswith(("http://", "https://")):
            problems.append("bad url")
        total += n(title) + n(description) + n(footer) + n(author)
        total += sum(n(f.get("name", "")) + n(f.get("value", "")) for f in fields)
    if total > 6000:
        problems.append(f"embeds total {total} > 6000")
    return problems


class DiscordStub:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.replies: deque[Reply] = deque()
        self.policy: Callable[[int], Reply] | None = None  # request number -> reply
        self.accepted: list[Accepted] = []
        self.answered: list[int | str] = []  # status per request, "hang" for no answer
        self.violations: list[str] = []
        self.requests = 0
        self.bucket_violations = 0
        self.on_accepted: Callable[[int], None] | None = None  # called with the count, after
        self.paths: list[str] = []  # path and query of every request
        self.lost: list[dict[str, Any]] = []  # answered 204 without wait=true, never saved
        self._unsaved = 0
        self._bucket: tuple[int, float] | None = None
        self._window_start = 0.0
        self._used = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/webhooks/1/stub-token"

    def start(self) -> DiscordStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(self, *replies: Reply) -> None:
        """Answer the next requests with `replies`, then 204 (or the policy) again."""
        with self.lock:
            self.replies.extend(replies)

    def unsaved(self, n: int) -> None:
        """The next `n` messages are answered but fail to save (Discord without wait=true)."""
        with self.lock:
            self._unsaved += n

    def bucket(self, limit: int, window: float) -> DiscordStub:
        """Enforce `limit` requests per `window` seconds (Discord's webhook bucket: 5 per 2 s)."""
        with self.lock:
            self._bucket = (limit, window)
        return self

    def _take_from_bucket(self) -> tuple[dict[str, str], Reply | None]:
        """Under the lock: the rate-limit headers for this request, and a 429 if over."""
        if self._bucket is None:
            return {}, None
        limit, window = self._bucket
        now = time.monotonic()
        if now >= self._window_start + window:
            self._window_start, self._used = now, 0
        reset_after = self._window_start + window - now
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Bucket": "stub-webhook",
            # Rounded up, like Discord, so waiting for it always reaches the new window.
            "X-RateLimit-Reset-After": f"{math.ceil(reset_after * 1000) / 1000:.3f}",
        }
        if self._used >= limit:
            self.bucket_violations += 1
            headers["X-RateLimit-Remaining"] = "0"
            headers["Retry-After"] = str(max(math.ceil(reset_after), 1))
            body = {"message": "You are being rate limited.", "retry_after": reset_after}
            return headers, Reply(429, {**body, "global": False}, headers)
        self._used += 1
        headers["X-RateLimit-Remaining"] = str(limit - self._used)
        return headers, None

    def embeds(self) -> list[dict[str, Any]]:
        with self.lock:
            return [e for a in self.accepted for e in a.body.get("embeds", [])]

    def _next(self, body: Any, path: str) -> Reply:
        with self.lock:
            self.paths.append(path)
            self.requests += 1
            number = self.requests
            problems = limit_violations(body)
            if problems:
                self.violations.extend(problems)
                return Reply(400, {"message": "Invalid Form Body", "errors": problems})
            headers, over = self._take_from_bucket()
            if over is not None:
                return over
            reply = self.replies.popleft() if self.replies else None
            if reply is None and self._unsaved:
                self._unsaved -= 1
                if "wait=true" not in path.partition("?")[2].split("&"):
                    self.lost.append(body)
                    return Reply(204, headers=headers, saved=False)
                reply = SERVER_ERROR
        if reply is None:
            reply = self.policy(number) if self.policy else OK
        if headers:
            reply = Reply(
                reply.status,
                reply.body,
                {**headers, **reply.headers},
                reply.hang,
                reply.delay,
                reply.saved,
            )
        return reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                reply = stub._next(body, self.path)
                if reply.hang:
                    with stub.lock:
                        stub.answered.append("hang")
                    time.sleep(reply.hang)
                    self.close_connection = True
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                wait = "wait=true" in self.path.partition("?")[2].split("&")
                if reply.status == 204 and wait:
                    # ?wait=true: 200 with the created message, once it is saved.
                    reply = Reply(200, {"id": "1", "type": 0, **body}, reply.headers)
                payload = json.dumps(reply.body).encode() if reply.body is not None else b""
                with stub.lock:
                    stub.answered.append(reply.status)
                    if 200 <= reply.status < 300 and reply.saved:
                        stub.accepted.append(Accepted(time.monotonic(), body))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if payload:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
                if stub.on_accepted is not None and 200 <= reply.status < 300:
                    with stub.lock:
                        count = len(stub.accepted)
                    stub.on_accepted(count)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
