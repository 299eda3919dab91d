"""What gunicorn and nginx refuse before Django sees a request is answered in the API's error
shape (DESIGN.md, "Errors"), not as their own HTML pages.

gunicorn runs as production runs it (deploy/gunicorn.conf.py, DEBUG=0, on loopback); nginx runs
the local stack's config (deploy/nginx/stack.conf.template, rendered as scripts/stack.sh does) in
front of it. Ports: deploy/tests/servers.py (offsets 0 and 5).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from deploy.tests.servers import DEPLOY, ROOT, free_port, get, request, wait_answering

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "")


def assert_error_shape(response: tuple[int, dict[str, str], bytes], status: int, code: str):
    got_status, headers, body = response
    assert got_status == status, body[:300]
    assert headers["content-type"].startswith("application/json"), body[:300]
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert error["details"] == {}


@pytest.fixture(scope="module")
def gunicorn_port() -> Iterator[int]:
    port = free_port(0)
    env = os.environ | {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LISTEN_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "paytungan.wsgi:application",
         "--config", str(DEPLOY / "gunicorn.conf.py"), "--chdir", str(ROOT / "backend")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_answering(port, process)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def nginx_port(gunicorn_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not NGINX:
        pytest.skip("nginx is not installed (the local stack's proxy)")
    state = tmp_path_factory.mktemp("nginx")
    for sub in ("run", "logs", "nginx/body", "nginx/proxy", "nginx/fastcgi", "nginx/uwsgi",
                "nginx/scgi"):  # fmt: skip
        (state / sub).mkdir(parents=True)
    root = os.getuid() == 0
    if root:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            shutil.chown(state / "nginx" / sub, "nobody", "nogroup")
    port = free_port(5)
    values = {
        "STATE": str(state), "PORT": str(port), "USER_LINE": "user nobody nogroup;" if root else "",
        "API_SERVERS": f"        server 127.0.0.1:{gunicorn_port};", "RELAY_UPSTREAM": "",
        "HOOKS_LOCATION": "", "FRONTEND_UPSTREAM": "",
        "ROOT_LOCATIONS": "        location / {\n            proxy_pass http://api;\n        }",
    }  # fmt: skip
    template = (DEPLOY / "nginx" / "stack.conf.template").read_text()
    conf = state / "nginx.conf"
    conf.write_text(re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template))
    args = [NGINX, "-p", str(state / "nginx"), "-e", str(state / "logs" / "error.log"),
            "-c", str(conf)]  # fmt: skip
    process = subprocess.Popen([*args, "-g", "daemon off;"], start_new_session=True)
    try:
        wait_answering(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=20)


# --- gunicorn, as in production (Cloud Run puts nothing in front that reshapes its answers) --------
def test_gunicorn_answers_a_url_over_its_limit_with_a_json_414(gunicorn_port):
    assert_error_shape(get(gunicorn_port, "/api/" + "a" * 5000), 414, "uri_too_long")
    assert_error_shape(get(gunicorn_port, "/api/bills?q=" + "b" * 5000), 414, "uri_too_long")


def test_a_url_under_the_limit_reaches_django_which_answers_in_the_same_shape(gunicorn_port):
    assert_error_shape(get(gunicorn_port, "/api/" + "a" * 4000), 404, "not_found")


def test_gunicorn_answers_a_header_over_its_limit_with_a_json_431(gunicorn_port):
    response = get(gunicorn_port, "/api/health/live", "X-Long: " + "c" * 9000)
    assert_error_shape(response, 431, "headers_too_large")


def test_gunicorn_answers_too_many_headers_with_a_json_431(gunicorn_port):
    headers = [f"X-H{i}: v" for i in range(120)]  # limit_request_fields: 100
    assert_error_shape(get(gunicorn_port, "/api/health/live", *headers), 431, "headers_too_large")


def test_gunicorn_answers_a_malformed_request_with_a_json_400(gunicorn_port):
    response = request(gunicorn_port, b"GET /api/health/live HTTP/9.9\r\nHost: x\r\n\r\n")
    assert_error_shape(response, 400, "bad_request")


# --- nginx in front of it (the local stack) -------------------------------------------------------
def test_nginx_passes_gunicorns_json_414_through(nginx_port):
    assert_error_shape(get(nginx_port, "/api/" + "a" * 6000), 414, "uri_too_long")


def test_nginx_answers_a_url_over_its_own_buffers_with_a_json_414(nginx_port):
    assert_error_shape(get(nginx_port, "/api/" + "a" * 9000), 414, "uri_too_long")


def test_nginx_answers_a_header_over_its_own_buffers_with_a_json_431(nginx_port):
    response = get(nginx_port, "/api/health/live", "Cookie: " + "c" * 9000)
    assert_error_shape(response, 431, "headers_too_large")


def test_nginx_answers_a_body_over_its_limit_with_a_json_413(nginx_port):
    body = b"x" * (1024 * 1024 + 1)
    head = (
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    assert_error_shape(request(nginx_port, head.encode() + body), 413, "payload_too_large")


def test_normal_requests_still_pass_through_nginx(nginx_port):
    assert get(nginx_port, "/api/health/live")[0] == 200
    assert_error_shape(get(nginx_port, "/api/" + "a" * 3000), 404, "not_found")
