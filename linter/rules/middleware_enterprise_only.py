"""Middleware plugins (`MiddlewareRegisterer`) are loaded only by KrakenD Enterprise.

## Why
KrakenD Community Edition has loaders for HTTP server, HTTP client and request/response
modifier plugins only; the middleware plugin type and its `plugin/middleware` namespace exist in
KrakenD Enterprise. A CE build of KrakenD never looks the symbol up, so the middleware never
runs and nothing is logged about it.

## Fails
```go
var MiddlewareRegisterer = registerer("audit")
```
(with a KrakenD Community Edition target)

## Passes
```go
var ModifierRegisterer = registerer("audit")
```
(a request/response modifier, which CE loads), or the same middleware with an Enterprise target.

## How to fix
Run the plugin on KrakenD Enterprise (and lint with an Enterprise target), or rewrite it as a
request/response modifier for CE.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP409", "middleware-enterprise-only", "middleware plugins load only in KrakenD Enterprise", Severity.WARNING,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.target.edition == "ee":
        return
    label = f"KrakenD CE {ctx.target.version}" if ctx.target.version else "KrakenD Community Edition"
    for source in source_view(ws).sources:
        for reg in source.registerers:
            if reg.contract.enterprise:
                yield RULE.finding(
                    reg.location,
                    f"{reg.contract.symbol} is only loaded by KrakenD Enterprise; {label} has no middleware "
                    "plugin loader and never looks it up",
                    hint="target KrakenD Enterprise, or write the plugin as a request/response modifier "
                    "(ModifierRegisterer) for CE",
                    plugin=source.plugin.dir,
                    key=f"{reg.contract.symbol} on CE",
                )
