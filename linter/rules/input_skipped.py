"""A path was skipped for safety: a symlink out of the scanned folder, a FIFO or a device.

## Why
The linter reads whatever a pull request contains. A symlink that points outside the checkout
(to `/etc/passwd`, or to a secret in the runner's home) must never be followed, and a FIFO or
device file could block the run forever. Such paths are skipped and reported so nothing is
silently left unchecked.

## Fails
`krakend.json -> /etc/krakend/krakend.json` (a symlink leaving the repository).

## Passes
Regular files inside the scanned folder.

## How to fix
Commit the real file instead of a link, or exclude the path in `.github/krakend-lint.yml`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext, problems_of_kind

RULE = RuleMeta(
    "KP903", "input-skipped", "a path was not read (unsafe link, special file, unreadable)", Severity.NOTICE
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for problem in problems_of_kind(ws, "skipped"):
        yield RULE.finding(problem.location, problem.message, hint="commit a regular file or exclude the path")
