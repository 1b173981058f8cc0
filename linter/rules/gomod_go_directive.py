"""The go.mod `go` line must not be above the Go KrakenD was built with.

## Why
The `go` line is the minimum Go the module needs. In the official `golang` images, and so in
`krakend/builder`, `GOTOOLCHAIN=local` is set: a `go` line above the image's Go stops the build
(`go.mod requires go >= 1.23.1 (running go 1.22.5; GOTOOLCHAIN=local)`). Outside Docker the
default `GOTOOLCHAIN=auto` silently downloads that newer Go and builds with it, and KrakenD then
refuses the plugin (`plugin was built with a different version of package ...`).
A plugin must be built with exactly the Go of the KrakenD release it is loaded into.

## Fails
```
module example.com/myplugin

go 1.23.1
```
(for KrakenD 2.7.0, built with Go 1.22.5)

## Passes
```
module example.com/myplugin

go 1.22.5
```

## How to fix
Lower the `go` line to at most the Go of your KrakenD release (`go mod edit -go=1.22.5`), and
run `go mod tidy` with that Go. If a dependency needs a newer Go, target a newer KrakenD.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gomod import go_version_tuple
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP202", "gomod-go-directive", "go.mod's go line must not be above KrakenD's Go", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.target.go_version:
        return
    want = ctx.target.go_version
    wanted = go_version_tuple(want)
    for plugin in ws.plugins:
        directive = plugin.gomod.go if plugin.gomod else None
        have = go_version_tuple(directive.value) if directive else None
        if directive is None or have is None or wanted is None or have <= wanted:
            continue
        suggestion = suggested_go_line(want)
        yield RULE.finding(
            directive.location,
            f"go directive {directive.value} is above Go {want}, which {ctx.target.label_with_source} is built with",
            hint=(f"set `go {suggestion}` (`go mod edit -go={suggestion}`); with GOTOOLCHAIN=local (golang and "
                  "krakend/builder images) the build stops, with GOTOOLCHAIN=auto Go downloads a newer "
                  "toolchain and the plugin will not load"),
            fix=Fix(directive.location.line, f"go {suggestion}"),
            plugin=plugin.dir,
        )


def suggested_go_line(go_version: str) -> str:
    """Go before 1.21 only accepts `go 1.N` in go.mod; from 1.21 the exact release is the clearest."""
    parsed = go_version_tuple(go_version)
    if parsed is not None and parsed[:2] < (1, 21):
        return f"{parsed[0]}.{parsed[1]}"
    return go_version
