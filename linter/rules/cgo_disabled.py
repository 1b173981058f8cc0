"""cgo must stay enabled when building a plugin.

## Why
Go plugins are opened through cgo (`dlopen`), and `go build -buildmode=plugin` needs cgo: with
`CGO_ENABLED=0` the build fails (`-buildmode=plugin requires external (cgo) linking, but cgo is
not enabled`), or, when the setting leaks from an `ENV` into a later step, produces a binary
KrakenD cannot load. Every documented KrakenD plugin build sets or relies on `CGO_ENABLED=1`.
The rule finds `CGO_ENABLED=0` wherever it reaches a plugin build: a command prefix, `export`,
`go env -w`, Dockerfile `ENV`/`ARG`, `docker run -e`, or a workflow `env:`.

## Fails
```dockerfile
FROM krakend/builder:2.7.0
ENV CGO_ENABLED=0
RUN go build -buildmode=plugin -o /p.so .
```

## Passes
```dockerfile
FROM krakend/builder:2.7.0
RUN go build -buildmode=plugin -o /p.so .
```

## How to fix
Remove `CGO_ENABLED=0` from the plugin build (or set `CGO_ENABLED=1`); keep static builds for
other programs in their own stage.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds, replace_at
from linter.inputs.shell import EnvVar
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP602", "cgo-disabled", "cgo must be enabled for plugin builds", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[Location] = set()
    for site in plugin_builds(ws):
        var = site.build.getenv("CGO_ENABLED")
        if var is None or site.env("CGO_ENABLED") != "0" or var.location in seen:
            continue
        seen.add(var.location)
        yield RULE.finding(
            var.location,
            f"CGO_ENABLED=0 ({var.origin}) reaches a plugin build; plugins need cgo",
            hint="remove CGO_ENABLED=0 or set CGO_ENABLED=1 for the plugin build",
            fix=_fix(site, var),
        )


def _fix(site: BuildSite, var: EnvVar) -> Fix | None:
    if var.origin == "workflow":
        return replace_at(site.lines, var.location, var.value, "1")
    if var.value != "0":
        return None  # set through another variable: change that one
    return replace_at(site.lines, var.location, "CGO_ENABLED=0", "CGO_ENABLED=1")
