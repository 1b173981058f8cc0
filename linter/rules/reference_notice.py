"""Something happened while finding KrakenD's reference that limits what was checked.

## Why
The dependency and Go version rules compare the plugin with the KrakenD it will run in. The
reference for that KrakenD comes from a binary, files you give, the cache or GitHub. When
GitHub rate-limits or times out, a cache entry is corrupt, the binary says it is another release
than the one asked for, or the release is newer than this linter's table, the comparison is made
with less (or other) information than usual, and you should know.

## Fails
```
krakend-plugin-lint check --krakend-version 2.99.0
```
(a release newer than the linter's table: its Go version is read from KrakenD's Makefile)

## Passes
```
krakend-plugin-lint check --krakend-version 2.7.0
```

## How to fix
Follow the hint of the notice: retry later for rate limits and timeouts, pass a token with
`--github-token` for higher limits, run `krakend-plugin-lint reference pull X.Y.Z` where GitHub is
reachable, or upgrade krakend-plugin-lint when the release table is older than your KrakenD.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import UNAVAILABLE_KINDS, RuleContext

RULE = RuleMeta("KP904", "reference-notice", "finding KrakenD's reference ran into a problem", Severity.NOTICE)
WARNING_KINDS = frozenset({"version-mismatch", "corrupt", "malformed"})


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    where = ctx.target.location or Location("")
    for notice in ctx.notices:
        if notice.kind in UNAVAILABLE_KINDS:
            continue
        severity = Severity.WARNING if notice.kind in WARNING_KINDS else None
        yield RULE.finding(where, f"{notice.source}: {notice.message}", hint=notice.hint, severity=severity,
                           key=f"{notice.source}:{notice.kind}")
