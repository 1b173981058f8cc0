"""A config that injects plugins needs the top-level `plugin` object with `folder` and `pattern`.

## Why
KrakenD only scans for plugins when the service-level `plugin` object is present; without it
every `plugin/...` namespace names a plugin that was never loaded. `folder` is the directory
KrakenD lists (a missing or empty folder finds nothing, logged only at DEBUG) and `pattern` is
the substring a file name must contain to be opened. The docs and the config schema require both.

## Fails
```json
{"version": 3, "extra_config": {"plugin/http-server": {"name": ["hello"]}}}
```

## Passes
```json
{"version": 3,
 "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},
 "extra_config": {"plugin/http-server": {"name": ["hello"]}}}
```

## How to fix
Add `"plugin": {"folder": "<directory with the .so files>", "pattern": ".so"}` at the top level.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import NamespaceUse, namespace_uses
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP502", "plugin-section", "a config using plugins needs plugin.folder and plugin.pattern",
                Severity.ERROR)
_EXAMPLE = '"plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"}'


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for config in ws.gateway_configs:
        # A namespace that names no plugin asks for nothing to be loaded (KP506 says so).
        uses = [u for u in namespace_uses(config) if u.spelling != "misspelled" and _names_a_plugin(u)]
        if uses and config.root is not None:
            yield from _section(config, config.root.get("plugin"), uses[0])


def _names_a_plugin(use: NamespaceUse) -> bool:
    node = use.name_node
    return node is not None and (node.is_template or bool(use.names()))


def _section(config: GatewayConfig, plugin: ConfigNode | None, first: NamespaceUse) -> Iterator[Finding]:
    if plugin is None:
        yield RULE.finding(
            first.key_location,
            f"{first.key} is configured but the config has no top-level \"plugin\" object, so KrakenD loads "
            "no plugin at all",
            hint=f"add {_EXAMPLE} at the top level",
            key="no plugin section",
        )
        return
    if plugin.is_template:
        return
    if plugin.kind != "object":
        yield RULE.finding(plugin.location, f"\"plugin\" must be an object with folder and pattern, not a "
                           f"{plugin.kind}", hint=f"use {_EXAMPLE}", key="plugin not an object")
        return
    for field in ("folder", "pattern"):
        node = plugin.get(field)
        anchor = plugin.key_location or plugin.location
        if node is None:
            yield _missing(anchor, field)
        elif not node.is_template and node.kind != "string":
            yield RULE.finding(node.location, f"plugin.{field} must be a string, not a {node.kind}",
                               hint=f"use {_EXAMPLE}", key=f"{field} type")
        elif field == "folder" and node.value == "":
            yield RULE.finding(node.location, "plugin.folder is empty, so KrakenD lists no directory and loads no "
                               "plugin", hint="set it to the directory the .so files are copied to", key="folder empty")


def _missing(anchor: Location, field: str) -> Finding:
    if field == "folder":
        return RULE.finding(anchor, "\"plugin\" has no folder: KrakenD lists no directory and loads no plugin "
                            "(the error is only logged at DEBUG)", hint=f"use {_EXAMPLE}", key="no folder")
    return RULE.finding(anchor, "\"plugin\" has no pattern: every file in the folder is opened as a plugin, and the "
                        "docs and schema require one", hint=f"use {_EXAMPLE}", key="no pattern",
                        severity=Severity.WARNING)
