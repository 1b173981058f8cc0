"""The gateway config is a Flexible Configuration template; parts of it could not be checked.

## Why
KrakenD's Flexible Configuration renders `krakend.json` from a template (`{{ include ... }}`,
`{{ marshal .settings }}`, `{{ .env }}`) when it starts. Until then the file is not plain JSON, so
the linter reads what it can: whole-value template actions become unknown values and anything it
cannot place is skipped. A plugin namespace produced by an `include` is invisible to the config
rules, which then may miss a wrong `name` or a missing `plugin` section.

## Fails
```
{ "version": 3, "endpoints": [ {{ include "endpoints.tmpl" }} ] }
```

## Passes
A plain `krakend.json`, or the template together with the file KrakenD renders from it:
```
FC_ENABLE=1 FC_OUT=rendered.json krakend check -c krakend.tmpl
krakend-plugin-lint check --gateway-config-rendered rendered.json
```

## How to fix
Render the configuration in CI (`FC_OUT=...` with `krakend check`) and pass the result with
`--gateway-config-rendered`, or accept that the template's dynamic parts are not linted.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext, problems_of_kind

RULE = RuleMeta(
    "KP906", "config-template", "the gateway config is a template; its dynamic parts were not linted", Severity.NOTICE
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for problem in problems_of_kind(ws, "template"):
        yield RULE.finding(problem.location, problem.message,
                           hint="lint the rendered file too: --gateway-config-rendered FILE")
