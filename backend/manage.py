#!/usr/bin/env python
import os
import sys
from pathlib import Path

# The repository root, last on the path: a checkout's tools outside the deployed package
# (tools/seed: demo_data, seed_bench) become importable; the production image has no tools/.
sys.path.append(str(Path(__file__).resolve().parent.parent))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paytungan.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from paytungan.env import ConfigError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - imports and so validates the settings module
    except ConfigError as exc:
        # One line naming the variable, not a traceback through Django's internals.
        sys.stderr.write(f"Configuration error: {exc}\nSee docs/operations.md.\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
