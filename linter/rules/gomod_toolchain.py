"""A go.mod `toolchain` line must name the Go KrakenD was built with, or be absent.

## Why
With the default `GOTOOLCHAIN=auto`, a `toolchain go1.23.4` line makes Go download and use
go1.23.4 whenever the installed Go is older, so a plugin built outside Docker is compiled with a
Go other than KrakenD's and fails to load (`plugin was built with a different version of package
...`). In the golang and `krakend/builder` images (`GOTOOLCHAIN=local`) the line
is ignored, so the same repository builds differently in CI and on a laptop.

## Fails
```
module example.com/myplugin

go 1.22

toolchain go1.23.4
```
(for KrakenD 2.7.0, built with Go 1.22.5)

## Passes
```
module example.com/myplugin

go 1.22

toolchain go1.22.5
```

## How to fix
Set the line to KrakenD's Go (`go mod edit -toolchain=go1.22.5`) or remove it
(`go mod edit -toolchain=none`).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gomod import go_version_tuple
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP203", "gomod-toolchain", "go.mod's toolchain line must be KrakenD's Go or absent", Severity.WARNING)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.target.go_version:
        return
    want = ctx.target.go_version
    for plugin in ws.plugins:
        directive = plugin.gomod.toolchain if plugin.gomod else None
        if directive is None or directive.value in ("default", f"go{want}"):
            continue
        have = go_version_tuple(directive.value)
        wanted = go_version_tuple(want)
        above = have is not None and wanted is not None and have > wanted
        yield RULE.finding(
            directive.location,
            f"toolchain {directive.value} is not go{want}, the Go {ctx.target.label_with_source} is built with",
            hint=(f"set `toolchain go{want}` or remove the line (`go mod edit -toolchain=none`); "
                  + ("with GOTOOLCHAIN=auto Go downloads this newer toolchain and the plugin will not load"
                     if above else "a build outside Docker may not use KrakenD's Go")),
            fix=Fix(directive.location.line, f"toolchain go{want}"),
            severity=Severity.ERROR if above else None,
            plugin=plugin.dir,
        )
