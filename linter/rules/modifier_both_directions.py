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

The same happens to a name registered twice, once for requests and once for responses: the
response registration never runs.

## How to fix
Register two names, one per direction (the KrakenD docs suggest `<name>-request` and
`<name>-response`), and list both in the config where both are wanted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.names import Registration
from linter.krakend.contracts.source import PluginSource, source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP407", "modifier-both-directions",
    "a modifier registered for requests and responses is only used on requests", Severity.WARNING,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            yield from _split_registrations(source, reg.registrations)
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


def _split_registrations(source: PluginSource, registrations: Sequence[Registration]) -> Iterator[Finding]:
    """One name registered twice, once per direction: the response registration never runs."""
    requests = {item.name: item for item in registrations if item.name is not None and item.request}
    for item in registrations:
        first = requests.get(item.name) if item.name is not None else None
        if item.response and not item.request and first is not None:
            yield RULE.finding(
                item.location,
                f"modifier \"{item.name}\" is registered again for responses; KrakenD finds the name in the request "
                "registry first and never runs this registration",
                hint=f"register it under its own name, e.g. \"{item.name}-response\", and configure that name",
                related=(first.location,),
                plugin=source.plugin.dir,
                key=f"split {item.name}",
            )
