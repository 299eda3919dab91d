"""Settings of the alert relay when it runs as its own service (relay_wsgi.py), so that alerts
still flow when the API is down or being redeployed.

Same environment variables and database as the API (the outbox lives there); only the webhook
URLs and the health probes are routed, and only the middleware they need runs: no sessions,
CSRF, auth or admin.
"""

import copy
from typing import Any

from paytungan.settings import *  # noqa: F403
from paytungan.settings import LOGGING as _API_LOGGING
from paytungan.settings import MIDDLEWARE as _API_MIDDLEWARE

ROOT_URLCONF = "paytungan.relay_urls"
WSGI_APPLICATION = "paytungan.relay_wsgi.application"

# INSTALLED_APPS stay the API's: the shared middleware imports app code, and the relay's
# readiness probe then agrees with the API's on whether migrations are applied (the migrate job
# runs before either service's new revision, docs/operations.md).

# CommonMiddleware for its Host check (request.get_host() against ALLOWED_HOSTS): nothing else
# on the relay's path reads the Host, so without it any Host reached the webhooks. The health
# probes are answered before it, whatever Host they carry.
MIDDLEWARE = [
    m
    for m in _API_MIDDLEWARE
    if m
    in (
        "paytungan.ops.middleware.HealthCheckMiddleware",
        "paytungan.ops.middleware.RequestLogMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    )
]

# Uncaught exceptions (view or middleware) logged with their traceback, as JSON like every line
# (paytungan.alerts.errors); relay_urls.handler500 answers them in the error shape.
_logging: dict[str, Any] = copy.deepcopy(_API_LOGGING)
_logging.setdefault("filters", {})["with_traceback"] = {
    "()": "paytungan.alerts.errors.WithTraceback"
}
_logging["loggers"]["django.request"] = {"level": "ERROR", "filters": ["with_traceback"]}
LOGGING = _logging
