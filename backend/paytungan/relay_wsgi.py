"""WSGI entrypoint of the alert relay service: gunicorn paytungan.relay_wsgi:application."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from paytungan.env import ConfigError

# Forced, not setdefault: an image built for the API may already set DJANGO_SETTINGS_MODULE,
# and this entrypoint must never serve the whole API.
os.environ["DJANGO_SETTINGS_MODULE"] = "paytungan.relay_settings"
try:
    application = get_wsgi_application()
except ConfigError as exc:
    # The traceback follows; this line is the one that says what to fix.
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise
