"""Plugin namespaces should use the names the target KrakenD reads.

## Why
KrakenD 2.x reads the short names `plugin/http-server`, `plugin/http-client`,
`plugin/req-resp-modifier` and `plugin/middleware`, and still accepts the long KrakenD 1.x names
by mapping the short ones onto them:

* `github_com/devopsfaith/krakend/transport/http/server/handler` (note `github_com`),
* `github.com/devopsfaith/krakend/transport/http/client/executor`,
* `github.com/devopsfaith/krakend/proxy/plugin`.

A long name therefore works on 2.x (a notice: the short one is clearer), but the long names mix
`github_com` and `github.com`, and a key spelt with the other one is not a namespace at all: it
is ignored and the plugin never runs. KrakenD 1.x knows only the long names, so a short name is
ignored there.

## Fails
```json
"github.com/devopsfaith/krakend/transport/http/server/handler": {"name": ["auth"]}
```

## Passes
```json
"plugin/http-server": {"name": ["auth"]}
```

## How to fix
Use the short `plugin/...` name on KrakenD 2.x; on KrakenD 1.x use the long name spelt exactly
as above.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import NamespaceUse, namespace_uses
from linter.krakend.contracts.definitions import contract
from linter.krakend.era import krakend_major
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP507", "long-namespace-name", "plugin namespaces should use the names the target KrakenD reads",
                Severity.NOTICE)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    major = krakend_major(ws, ctx.target) or 2
    for config in ws.gateway_configs:
        for use in namespace_uses(config):
            finding = _finding(use, major, ctx.target.release_label(major))
            if finding is not None:
                yield finding


def _finding(use: NamespaceUse, major: int, label: str) -> Finding | None:
    c = contract(use.namespace.plugin_type)
    short = c.namespace.key if c else use.namespace.key
    long = c.long_namespace.key if c and c.long_namespace else ""
    if use.spelling == "misspelled":
        right = short if major >= 2 else long
        return RULE.finding(use.key_location, f"{use.key} is not a namespace KrakenD knows (the long name is "
                            f"spelt {long}); it is ignored and the plugin never runs", hint=f"use \"{right}\"",
                            fix=_rename(use, right), severity=Severity.ERROR, key=f"misspelled {use.key}")
    if use.spelling == "short" and major < 2:
        if not long:
            return None
        return RULE.finding(use.key_location, f"{use.key} is a KrakenD 2 name; {label} only reads {long} and "
                            "ignores this namespace", hint=f"use \"{long}\"", fix=_rename(use, long),
                            severity=Severity.ERROR, key=f"short {use.key} on 1.x")
    if use.spelling == "long" and major >= 2:
        return RULE.finding(use.key_location, f"{use.key} is the KrakenD 1.x name; {label} still accepts it, but "
                            f"\"{short}\" is the current name", hint=f"use \"{short}\"", fix=_rename(use, short),
                            key=f"long {use.key}")
    return None


def _rename(use: NamespaceUse, new: str) -> Fix | None:
    loc = use.key_location
    line = use.config.line(loc.line)
    if loc.end_line != loc.line or line[loc.column - 1:loc.end_column] != f'"{use.key}"':
        return None
    return Fix(loc.line, line[:loc.column - 1] + f'"{new}"' + line[loc.end_column:])
