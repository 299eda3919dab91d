"""Run in a subprocess by test_sentry_ingest.py: the real settings (so SENTRY_* from the
environment initialise the SDK exactly as in production) and the real WSGI application behind
an HTTP server, so requests carrying secrets pass through everything Sentry hooks into; then a
flush to the ingestion stand-in."""

import json
import threading
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django

django.setup()

import sentry_sdk  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

SECRET_HEADERS = {
    "Authorization": "Bearer pat_supersecrettoken123",
    "Cookie": "csrftoken=csrf-cookie-secret; pt_pref=cookie-secret-value",
    "X-CSRFToken": "csrf-header-secret",
    "Content-Type": "application/json",
}
BODY = json.dumps(
    {"email": "ayu.lestari@example.com", "password": "hunter2-secret-pw", "name": "Ayu"}
).encode()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def call(base, method, path, request_id):
    request = urllib.request.Request(
        base + path,
        data=BODY if method == "POST" else None,
        method=method,
        headers={**SECRET_HEADERS, "X-Request-ID": request_id},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


with override_settings(ROOT_URLCONF="paytungan.ops.tests.sentry_urls"):
    from paytungan.wsgi import application

    server = make_server("127.0.0.1", 0, application, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    statuses = {
        "handled": call(base, "POST", "/api/groups/7/handled", "probe-req-handled"),
        "boom": call(base, "POST", "/api/groups/7/boom", "probe-req-boom"),
        "gateway": call(base, "POST", "/api/groups/7/gateway", "probe-req-gateway"),
        "plain": call(base, "GET", "/plain/boom?token=querysecret123", "probe-req-plain"),
    }
    server.shutdown()
sentry_sdk.flush(timeout=10)
print("PROBE_RESULT", json.dumps(statuses), flush=True)  # noqa: T201 - read by the test
