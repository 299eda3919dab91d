"""A WSGI app answering with the pid of the worker that served the request (which worker a
connection landed on), for deploy/tests/test_gunicorn_worker.py."""

import os


def application(environ, start_response):
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
