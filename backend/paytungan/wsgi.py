import os
import sys

from django.core.wsgi import get_wsgi_application

from paytungan.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
try:
    application = get_wsgi_application()
except ConfigError as exc:
    # The traceback follows; this line is the one that says what to fix.
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise
