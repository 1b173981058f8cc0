"""A file the linter reads could not be parsed, in whole or in part.

## Why
Every other rule works from what the parsers understood. A line of go.mod that Go itself would
reject, a Dockerfile instruction BuildKit cannot read, or a gateway config that is not valid JSON
means the checks that depend on it saw less than KrakenD will, and may miss a reason the plugin
will not load. Go and KrakenD refuse these files too: `go build` stops on a malformed go.mod and
KrakenD exits at start-up on a config it cannot parse.

## Fails
```
module example.com/plugin
require github.com/some/module
```
(a `require` without a version)

## Passes
```
module example.com/plugin
require github.com/some/module v1.2.3
```

A CI workflow or a build script (Makefile, shell script) that cannot be read is a notice: it does
not decide by itself whether the plugin loads, but its build steps were not checked.

## How to fix
Fix the line named in the finding so the tool that owns the format (`go mod tidy`, `docker
build`, `krakend check -c`) accepts it. The rest of the file is still checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext, problems_of_kind

RULE = RuleMeta("KP901", "input-unparsable", "an input file could not be parsed", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    helpers = {workflow.path for workflow in ws.workflows} | {script.path for script in ws.build_scripts}
    for problem in problems_of_kind(ws, "unparsable"):
        helper = problem.location.path in helpers
        yield RULE.finding(
            problem.location,
            problem.message + ("; the build steps in this file were not checked" if helper else ""),
            hint="fix the line so its own tool accepts it",
            severity=Severity.NOTICE if helper else None,
            key=problem.message,
        )
