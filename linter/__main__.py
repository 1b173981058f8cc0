"""`python -m linter` runs the CLI."""

import sys

from linter.cli import run

sys.exit(run())
