"""An input file is larger than the linter reads.

## Why
A go.sum, Dockerfile or gateway config of many megabytes is almost always a mistake (a build
artifact or a log committed by accident). Reading it without a limit would let one pull request
use unbounded time and memory in CI, so the linter skips it and says so.

## Fails
A `krakend.json` of 100 MB committed to the repository.

## Passes
Input files below 16 MiB.

## How to fix
Remove the file from the repository or exclude its path in `.github/krakend-lint.yml`
(`exclude: ["path/to/file"]`).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext, problems_of_kind

RULE = RuleMeta("KP902", "input-too-large", "an input file is above the size limit and was not read", Severity.WARNING)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for problem in problems_of_kind(ws, "too-large"):
        yield RULE.finding(problem.location, problem.message, hint="remove the file or exclude its path")
