"""The gateway config's `version` must be the one the target KrakenD reads.

## Why
KrakenD refuses to start when the config's `version` is not the format version it implements:
3 for every KrakenD 2.x, 2 for KrakenD 0.4 to 1.4. The check runs before anything else and
stops with `unsupported version: 2 (want: 3)`. A missing `version` reads as 0 and fails the same
way; a quoted `"3"` fails to decode.

## Fails
```json
{"version": 2, "endpoints": []}
```
(for KrakenD 2.x)

## Passes
```json
{"version": 3, "endpoints": []}
```

## How to fix
Set `version` to 3 for KrakenD 2.x (2 for KrakenD 1.x), as a number.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import is_gateway_config
from linter.krakend.contracts.definitions import CONFIG_VERSION
from linter.krakend.era import krakend_major
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP501", "config-version", "the config version must be the one the target KrakenD reads",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    era = krakend_major(ws, ctx.target)
    major = era or 2
    want = CONFIG_VERSION.get(major, CONFIG_VERSION[2])
    label = ctx.target.release_label(major)
    for config in ws.gateway_configs:
        if not is_gateway_config(config) or config.root is None:
            continue
        node = config.root.get("version")
        if node is None:
            yield RULE.finding(
                Location(config.path, config.root.location.line, config.root.location.column),
                f"the config has no \"version\"; {label} stops at start-up with \"unsupported version: 0 "
                f"(want: {want})\"",
                hint=f"add \"version\": {want} at the top level",
                key=f"no version {want}",
            )
        elif not node.is_template and (node.kind != "number" or (era is not None and node.value != want)):
            yield _wrong(config, node, want, label)


def _wrong(config: GatewayConfig, node: ConfigNode, want: int, label: str) -> Finding:
    if node.kind == "number":
        message = f"\"version\" is {node.value} but {label} stops at start-up with \"unsupported version: " \
            f"{node.value} (want: {want})\""
    else:
        message = (f"\"version\" must be the number {want}; {label} cannot read a {node.kind} there and stops "
                   "at start-up")
    loc = node.location
    fix = None
    line = config.line(loc.line)
    if loc.line == loc.end_line and line:
        fix = Fix(loc.line, line[:loc.column - 1] + str(want) + line[loc.end_column:])
    return RULE.finding(loc, message, hint=f"set \"version\": {want}", fix=fix, key=f"version {want}")
