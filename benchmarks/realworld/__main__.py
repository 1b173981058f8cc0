"""``python -m benchmarks.realworld``; see ``benchmarks.realworld.cli``."""

import sys

from benchmarks.realworld.cli import main

sys.exit(main())
