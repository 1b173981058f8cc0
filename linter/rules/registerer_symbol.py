"""A plugin's package must declare an exported registerer variable at package level.

## Why
Each KrakenD loader opens the `.so`, then looks up one exported symbol by its exact name:
`HandlerRegisterer` (HTTP server plugins), `ClientRegisterer` (HTTP client plugins),
`ModifierRegisterer` (request/response modifiers) or `MiddlewareRegisterer` (Enterprise
middlewares). A plugin that declares none of them fails every lookup, and KrakenD 2.x logs only
at DEBUG level, e.g.
`plugin #0 (/opt/krakend/plugins/hello.so): plugin: symbol HandlerRegisterer not found in plugin example.com/hello`,
then starts without the plugin. A variable declared inside a function is not a symbol either.

## Fails
```go
package main

var registerHandlers = registerer("hello")
```

## Passes
```go
package main

var HandlerRegisterer = registerer("hello")
```

## How to fix
Declare the variable at package level with the exact exported name of the plugin type, typed
with a named type that has the required method (see KP404).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import GoFile, GoPackage
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.definitions import SERVER, SYMBOLS
from linter.krakend.contracts.failures import debug_log, symbol_not_found
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP402", "registerer-symbol", "the plugin package must declare an exported registerer at package level",
    Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        package = source.package
        if package.name != "main" or source.registerers:
            continue
        first = _first_file(package)
        if first is None or first.package_location is None:
            continue
        error = symbol_not_found(SERVER.symbol, source.symbol_path())
        yield RULE.finding(
            first.package_location,
            f"package main declares none of {', '.join(SYMBOLS)}: every KrakenD loader fails its lookup "
            f"and logs at DEBUG \"{debug_log(error)}\"",
            hint="declare a package-level variable such as `var HandlerRegisterer = registerer(\"my-plugin\")`, "
            "named exactly after the plugin type",
            plugin=source.plugin.dir,
            key=f"no registerer in {package.dir}",
        )


def _first_file(package: GoPackage) -> GoFile | None:
    files = sorted(package.files, key=lambda f: f.path)
    return files[0] if files else None
