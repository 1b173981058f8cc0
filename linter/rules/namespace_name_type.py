"""Each plugin namespace's `name` must have the type KrakenD reads.

## Why
The loaders read `name` differently per plugin type, and ignore a value of the wrong type:

* `plugin/http-client`: a **string** (one client per backend); a list is ignored (DEBUG log)
  and the backend uses the default HTTP client;
* `plugin/req-resp-modifier` and `plugin/middleware`: a **list** of strings; a plain string is
  silently ignored and no modifier runs;
* `plugin/http-server`: a **list**; a string still works in KrakenD's code, but the docs and the
  config schema require a list (a notice).

A namespace whose value is not an object loads nothing. A namespace without `name` loads nothing
either; since it asks for no plugin by name, nothing fails to load, and it is only a notice.

## Fails
```json
"plugin/req-resp-modifier": {"name": "add-header"}
```

## Passes
```json
"plugin/req-resp-modifier": {"name": ["add-header"]}
```

## How to fix
Use a string for `plugin/http-client` and a list of strings for the other namespaces.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gateway_config import ConfigNode
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import NamespaceUse, namespace_uses
from linter.krakend.era import krakend_major
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP506", "namespace-name-type", "a plugin namespace's name must have the type KrakenD reads",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    modern = krakend_major(ws, ctx.target) != 1  # KrakenD 1.x documented a string for the server plugin
    for config in ws.gateway_configs:
        for use in namespace_uses(config):
            if use.spelling != "misspelled" and not use.value.is_template:
                yield from _check_use(use, modern)


def _check_use(use: NamespaceUse, modern: bool) -> Iterator[Finding]:
    if use.value.kind != "object":
        yield RULE.finding(use.value.location, f"{use.key} must be an object with a \"name\", not a {use.value.kind}; "
                           "KrakenD loads nothing for it", hint='use {"name": [...]}', key=f"{use.key} not object")
        return
    node = use.name_node
    if node is None:
        yield RULE.finding(use.key_location, f"{use.key} has no \"name\", so KrakenD loads no plugin for it",
                           hint="add the registered plugin name(s) as \"name\", or remove the namespace",
                           key=f"{use.key} no name", severity=Severity.NOTICE)
        return
    if node.is_template:
        return
    wants_string = use.namespace.name_type == "string"
    if wants_string and node.kind != "string":
        yield _client_not_string(use, node)
    elif not wants_string and node.kind == "string":
        if modern or use.namespace.plugin_type != "http-server":
            yield _string_not_list(use, node)
    elif not wants_string and node.kind != "array":
        yield RULE.finding(node.location, f"{use.key} name must be a list of strings, not a {node.kind}",
                           hint='use "name": ["<plugin>"]', key=f"{use.key} name {node.kind}")
    elif node.kind == "array":
        for item in node.children:
            if item.kind != "string" and not item.is_template:
                yield RULE.finding(item.location, f"{use.key} names must be strings, not a {item.kind}",
                                   hint="quote the plugin name", key=f"{use.key} item {item.kind}")


def _client_not_string(use: NamespaceUse, node: ConfigNode) -> Finding:
    fix = None
    if node.kind == "array" and len(node.children) == 1 and node.children[0].kind == "string":
        fix = _replace(use, node, _quote(node.children[0].value))
    return RULE.finding(
        node.location,
        f"{use.key} name must be a string, not a {node.kind}: KrakenD ignores it (logged at DEBUG) and the backend "
        "keeps its default HTTP client",
        hint="one client plugin per backend: \"name\": \"<plugin>\"",
        fix=fix,
        key=f"{use.key} name {node.kind}",
    )


def _string_not_list(use: NamespaceUse, node: ConfigNode) -> Finding:
    fix = _replace(use, node, "[" + _quote(node.value) + "]")
    if use.namespace.plugin_type == "http-server":
        return RULE.finding(
            node.location,
            f"{use.key} name is a string; KrakenD still accepts it, but the docs and the config schema require a list",
            hint=f"use \"name\": [{_quote(node.value)}]",
            fix=fix,
            severity=Severity.NOTICE,
            key=f"{use.key} name string",
        )
    return RULE.finding(
        node.location,
        f"{use.key} name is a string: KrakenD only reads a list here and silently ignores it, so the "
        f"{use.namespace.plugin_type} plugin never runs",
        hint=f"use \"name\": [{_quote(node.value)}]",
        fix=fix,
        key=f"{use.key} name string",
    )


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _replace(use: NamespaceUse, node: ConfigNode, text: str) -> Fix | None:
    loc = node.location
    line = use.config.line(loc.line)
    if use.config.format != "json" or loc.end_line != loc.line or not line:
        return None
    return Fix(loc.line, line[:loc.column - 1] + text + line[loc.end_column:])
