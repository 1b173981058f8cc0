"""A configured name must be registered by a plugin of the type its namespace loads.

## Why
Each namespace is read by one loader with its own registry: `plugin/http-server` names are
looked up among `HandlerRegisterer` registrations, `plugin/http-client` among
`ClientRegisterer`, `plugin/req-resp-modifier` among `ModifierRegisterer`, `plugin/middleware`
among `MiddlewareRegisterer`. A modifier's name under `plugin/http-server` is therefore "not
registered" as far as that loader is concerned, and the plugin never runs there.

## Fails
```json
"plugin/http-server": {"name": ["add-header"]}
```
with `var ModifierRegisterer = registerer("add-header")`

## Passes
```json
"plugin/req-resp-modifier": {"name": ["add-header"]}
```

## How to fix
Move the name under the namespace of the plugin's type (and to the level KP505 names), or
register it with the registerer of the type you meant.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import namespace_uses
from linter.krakend.contracts.definitions import contract
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP510", "plugin-type-namespace", "a name must be configured under its plugin type's namespace",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    view = source_view(ws)
    types: dict[str, set[str]] = {}
    for item in view.names:
        types.setdefault(item.name, set()).add(item.plugin_type)
    for config in ws.gateway_configs:
        for use in namespace_uses(config):
            kind = use.namespace.plugin_type
            if use.spelling == "misspelled":
                continue
            for node in use.names():
                found = types.get(node.value, set())
                if not found or kind in found or node.value in ctx.provided_names:
                    continue
                others = sorted(found)
                right = [c.namespace.key for t in others if (c := contract(t)) is not None]
                symbols = ", ".join(c.symbol for t in others if (c := contract(t)) is not None)
                yield RULE.finding(
                    node.location,
                    f"\"{node.value}\" is registered by a {'/'.join(others)} plugin ({symbols}) but configured "
                    f"under {use.key}: the {kind} loader never has it",
                    hint=f"configure it under \"{right[0]}\"" if right else "configure it under its own namespace",
                    key=f"{node.value} under {kind}",
                )
