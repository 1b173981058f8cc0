"""A plugin's Go package must be `package main`.

## Why
KrakenD plugins are built with `go build -buildmode=plugin`, which only builds a main package.
A package with another name stops the build with
`-buildmode=plugin requires exactly one main package`, and a directory that mixes `package main`
with another package name stops it with `found packages main (a.go) and other (b.go)`. No `.so`
is produced, so KrakenD has nothing to load. A `func main` is not needed: plugins never run it.

## Fails
```go
package myplugin

var HandlerRegisterer = registerer("my-plugin")
```

## Passes
```go
package main

var HandlerRegisterer = registerer("my-plugin")
```

## How to fix
Change the package clause of every file in the plugin's directory to `package main`. Code that
other programs import belongs in a separate package the plugin imports.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import GoFile, GoPackage
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.source import source_view
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP401", "package-main", "a plugin's Go package must be package main", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for file in source.package.files:
            if file.package and file.package != "main" and file.package_location is not None:
                yield _finding(file, source.package, source.plugin.dir)


def _finding(file: GoFile, package: GoPackage, plugin: str) -> Finding:
    assert file.package_location is not None
    loc = file.package_location
    mixed = "main" in package.package_names
    if mixed:
        message = (f"package {file.package} in a directory of package main: go build stops with "
                   f"\"found packages main and {file.package}\" and no plugin is built")
    else:
        message = (f"package {file.package} cannot be built as a KrakenD plugin: go build -buildmode=plugin "
                   "stops with \"-buildmode=plugin requires exactly one main package\"")
    line = file.line(loc.line)
    fix = None
    if line[loc.column - 1:loc.end_column] == file.package:
        fix = Fix(loc.line, line[:loc.column - 1] + "main" + line[loc.end_column:])
    return RULE.finding(
        loc,
        message,
        hint="use `package main` in every file of the plugin's directory (a `func main` is not needed)",
        fix=fix,
        plugin=plugin,
        key=f"package {file.package}",
    )
