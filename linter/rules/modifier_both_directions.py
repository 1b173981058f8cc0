"""A modifier name registered for both requests and responses only ever modifies requests.

## Why
`RegisterModifiers` hands KrakenD each modifier with two flags: applies to requests, applies to
responses. KrakenD keeps two registries, and when it builds a pipeline it looks each configured
name up in the request registry first; when found there it moves on to the next name without
looking in the response registry (lura `proxy/plugin.go`, since lura v1.4.0). A name registered
with both flags `true` therefore never runs on responses, and nothing is logged.

## Fails
```go
f(string(r), r.modify, true, true)
```

## Passes
```go
f(string(r)+"-request", r.modifyRequest, true, false)
f(string(r)+"-response", r.modifyResponse, false, true)
```

## How to fix
Register two names, one per direction (the KrakenD docs suggest `<name>-request` and
`<name>-response`), and list both in the config where both are wanted.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts import OUTCOME_NAME_SHADOWED, source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP407", "modifier-both-directions",
    "a modifier registered for requests and responses is only used on requests", Severity.WARNING,
)
ORACLE = OUTCOME_NAME_SHADOWED


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            for item in reg.registrations:
                if item.request and item.response:
                    shown = f"\"{item.name}\"" if item.name is not None else "this name"
                    yield RULE.finding(
                        item.location,
                        f"modifier {shown} is registered for both requests and responses; KrakenD finds it in "
                        "the request registry first and never runs it on responses",
                        hint="register one name per direction, e.g. `<name>-request` (true, false) and "
                        "`<name>-response` (false, true)",
                        plugin=source.plugin.dir,
                        key=f"both {item.name}",
                    )
