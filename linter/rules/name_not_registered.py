"""Every plugin name in the config must be registered by a plugin (or declared as provided).

## Why
KrakenD matches the config's `name` values against the names plugins passed to their register
callback. A name nobody registered (a typo, a renamed plugin, a plugin that failed to load) is
skipped: HTTP server plugins log `No plugin registered as <name>` (spelled `resgistered` up to
KrakenD 2.7.x; ERROR from KrakenD 2.5.1, DEBUG before), client plugins fall back to the default
HTTP client with a DEBUG line, and modifiers are skipped silently. The message quotes the line the
targeted release logs.
Names registered by plugins outside this repository can be listed with `provided-names`. A
gateway without plugin source of its own is only checked when it runs the stock KrakenD image and
nothing copies or mounts plugins into its plugin folder: otherwise its plugins come from elsewhere.

## Fails
```json
"plugin/http-server": {"name": ["helo"]}
```
with `var HandlerRegisterer = registerer("hello")`

## Passes
```json
"plugin/http-server": {"name": ["hello"]}
```

## How to fix
Use the exact name the plugin registers, or list names of plugins built elsewhere in
`provided-names`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.runtime import stock_image_without_plugins
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import namespace_uses
from linter.krakend.contracts.failures import missing_name_log
from linter.krakend.contracts.names import levenshtein
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP508", "name-not-registered", "every configured plugin name must be registered by a plugin",
                Severity.ERROR)

_EFFECT = {
    "http-server": "KrakenD logs {log} and serves without it",
    "http-client": "KrakenD logs {log} and the backend uses the default HTTP client",
    "req-resp-modifier": "KrakenD skips it without any message",
    "middleware": "KrakenD Enterprise skips it",
}


def effect(kind: str, name: str, lura_version: str) -> str:
    """What the targeted KrakenD does about the unregistered name, quoting its log line."""
    level, text = missing_name_log(kind, name, lura_version)
    return _EFFECT[kind].format(log=f"\"{text}\" at {level}")


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    view = source_view(ws)
    registered = {item.name for item in view.names}
    lura = ctx.target.release.lura_version if ctx.target.release else ""
    for config in ws.gateway_configs:
        if not ws.plugins and not stock_image_without_plugins(ws, config):
            continue  # the plugins are built or shipped elsewhere (a submodule, another repository, a base image)
        for use in namespace_uses(config):
            kind = use.namespace.plugin_type
            if use.spelling == "misspelled" or kind in view.unknown_types:
                continue
            for node in use.names():
                name = node.value
                if name in registered or name in ctx.provided_names:
                    continue
                near = _closest(name, registered)
                yield RULE.finding(
                    node.location,
                    f"no plugin in this repository registers \"{name}\" ({kind}): "
                    + effect(kind, name, lura),
                    hint=(f"did you mean \"{near}\"? " if near else "")
                    + "use the name the plugin registers, or list plugins built elsewhere in provided-names",
                    key=f"{kind} {name}",
                )


def _closest(name: str, registered: set[str]) -> str:
    scored = sorted((levenshtein(name.lower(), other.lower()), other) for other in registered)
    return scored[0][1] if scored and scored[0][0] <= max(2, len(name) // 4) else ""
