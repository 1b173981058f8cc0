"""`python -m linter` runs the CLI."""

import sys

from linter.cli import main

sys.exit(main())
