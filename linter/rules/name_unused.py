"""A name a plugin registers that no gateway config in the repository uses.

## Why
A plugin only runs when the gateway config lists the name it registered. A registered name
that no config uses is either dead code or the other half of a typo in the config (KP508
reports that side). This is a notice: the config may live in another repository.

## Fails
```go
f("hello", r.handler)
```
with a `krakend.json` that lists only `"name": ["other"]`

## Passes
```go
f("hello", r.handler)
```
with `"plugin/http-server": {"name": ["hello"]}` in `krakend.json`

## How to fix
Add the name to the config where the plugin should run, or remove the registration.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import is_gateway_config, namespace_uses
from linter.krakend.contracts.definitions import contract
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP509", "name-unused", "a registered plugin name is used by no gateway config", Severity.NOTICE)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    configs = [c for c in ws.gateway_configs if is_gateway_config(c)]
    if not configs or any(c.skipped or (c.is_template and not c.rendered) for c in configs):
        return  # no config to compare with, or parts of it could not be read
    used = {node.value for c in configs for use in namespace_uses(c) for node in use.names()}
    paths = ", ".join(c.path for c in configs)
    seen: set[tuple[str, str, int]] = set()
    for item in source_view(ws).names:
        spot = (item.name, item.registration.location.path, item.registration.location.line)
        if item.name in used or spot in seen:
            continue
        seen.add(spot)
        c = contract(item.plugin_type)
        namespace = c.namespace.key if c else item.plugin_type
        yield RULE.finding(
            item.registration.location,
            f"\"{item.name}\" is registered but not used in {paths}, so KrakenD never runs it there",
            hint=f"list it under \"{namespace}\" where the plugin should run, or remove the registration",
            plugin=item.source.plugin.dir,
            key=f"unused {item.plugin_type} {item.name}",
        )
