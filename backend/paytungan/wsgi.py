import os
import sys

import django

from paytungan.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
try:
    django.setup(set_prefix=False)
    from paytungan.ops.handler import ApiWSGIHandler  # after setup: it reads the settings

    application = ApiWSGIHandler()
except ConfigError as exc:
    # The traceback follows; this line is the one that says what to fix.
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise
