"""Exit codes and the usage error every command and the CLI share.

0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or configuration error; 3
internal error (a rule crashed; every other finding is still reported).
"""

from __future__ import annotations

from linter.model import Report, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A bad option or argument; the message names it. Exit code 2."""


def exit_code(report: Report, fail_on: Severity | None, crashed: bool) -> int:
    if crashed:
        return EXIT_INTERNAL
    if fail_on is None:
        return EXIT_OK
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in report.active) else EXIT_OK
