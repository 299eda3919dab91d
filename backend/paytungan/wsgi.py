import os
import sys

import django

from paytungan.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
try:
    django.setup(set_prefix=False)
    from django.conf import settings

    # After setup: both read the settings.
    from paytungan.hot_reads import HotReads
    from paytungan.ops.handler import ApiWSGIHandler

    handler = ApiWSGIHandler()
    application = HotReads(handler) if settings.HOT_READS else handler
except ConfigError as exc:
    # The traceback follows; this line is the one that says what to fix.
    sys.stderr.write(f"Configuration error: {exc}\n")
    raise
