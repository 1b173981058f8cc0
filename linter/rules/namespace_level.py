"""Each plugin namespace must sit in the `extra_config` KrakenD reads it from.

## Why
KrakenD reads each plugin namespace from one kind of `extra_config` only, and ignores it
anywhere else without a message:

* `plugin/http-server`: the service (top-level) `extra_config`;
* `plugin/http-client`: a backend's `extra_config`, at most one per backend (it replaces the
  backend's HTTP client);
* `plugin/req-resp-modifier` and `plugin/middleware`: an endpoint's or a backend's `extra_config`.

The same holds for the long names (KP507). Writing both the short and the long name of one type
in the same `extra_config` leaves KrakenD with only one of them.

## Fails
```json
{"endpoints": [{"endpoint": "/a", "extra_config": {"plugin/http-server": {"name": ["auth"]}}}]}
```

## Passes
```json
{"extra_config": {"plugin/http-server": {"name": ["auth"]}}, "endpoints": [{"endpoint": "/a"}]}
```

## How to fix
Move the namespace to the level listed above (server plugins to the top-level `extra_config`,
client plugins into the backend), and keep one namespace per plugin type in each `extra_config`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.config import NamespaceUse, namespace_uses
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP505", "namespace-level", "plugin namespaces must be at the level KrakenD reads them from",
                Severity.ERROR)

_WHERE = {"service": "the top-level (service) extra_config", "endpoint": "an endpoint's extra_config",
          "backend": "a backend's extra_config"}


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for config in ws.gateway_configs:
        seen: dict[tuple[str, str], NamespaceUse] = {}
        for use in namespace_uses(config):
            if use.level not in use.namespace.levels:
                yield _wrong_level(use)  # a misspelt key too: fixing the spelling alone would not be enough
                continue
            if use.spelling == "misspelled":
                continue
            earlier = seen.get((use.where, use.namespace.plugin_type))
            if earlier is not None:
                yield _twice(use, earlier)
            else:
                seen[(use.where, use.namespace.plugin_type)] = use


def _wrong_level(use: NamespaceUse) -> Finding:
    allowed = " or ".join(_WHERE[level] for level in _WHERE if level in use.namespace.levels)
    return RULE.finding(
        use.key_location,
        f"{use.key} in {_WHERE[use.level]} is ignored: KrakenD reads {use.namespace.plugin_type} plugins only "
        f"from {allowed}",
        hint=f"move it to {allowed}",
        key=f"{use.key} at {use.where}",
    )


def _twice(use: NamespaceUse, earlier: NamespaceUse) -> Finding:
    what = "one http-client plugin per backend" if use.namespace.plugin_type == "http-client" else \
        f"one {use.namespace.plugin_type} namespace per extra_config"
    return RULE.finding(
        use.key_location,
        f"{use.key} repeats {earlier.key} (line {earlier.key_location.line}) in the same extra_config: KrakenD "
        f"maps both names to one key and keeps only one of them ({what})",
        hint="merge the names into one namespace",
        related=(earlier.key_location,),
        key=f"{use.key} twice at {use.where}",
    )
