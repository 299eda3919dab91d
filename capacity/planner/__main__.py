"""`python -m capacity.planner ...` (from the repository root): the planner's command line."""

import sys

from capacity.planner.cli import main

sys.exit(main())
