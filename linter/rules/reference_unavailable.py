"""Without KrakenD's module versions the dependency checks cannot run; says how to provide them.

## Why
Whether a plugin's dependencies match depends on the exact build list of the KrakenD it will
be loaded into, which differs between every release. The linter reads it from a KrakenD
binary, from KrakenD's go.mod/go.sum, from the build lists embedded in the linter (every CE
release it knows, from 2.0.0 on), from its cache, or from GitHub. What is left without one: a
release newer than the embedded data while offline, a 1.x release offline, and the Enterprise
Edition (its module versions are not public, and CE's would be the
wrong ones). Then KP101–KP105 compare nothing; this notice says so once per run (instead of
passing silently) and why.

## Fails
```
krakend-plugin-lint check . --offline --krakend-version 2.99.0
```
(a release newer than the embedded data, not cached, and no `--krakend-go-sum` or `--krakend-binary`)

## Passes
```
krakend-plugin-lint check . --offline --krakend-version 2.7.0
```

## How to fix
For a release newer than the embedded data, run once with network access (KrakenD CE's go.mod
and go.sum are fetched from GitHub and cached), or `krakend-plugin-lint reference pull X.Y.Z`
to fill the cache for offline runs, or upgrade krakend-plugin-lint. For the Enterprise Edition,
or any KrakenD of your own, give `--krakend-go-sum PATH` / `--krakend-go-mod PATH` with its
files, or `--krakend-binary PATH` for the exact build list of the binary.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.dependencies import plugins_with_gomod
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP106",
    "reference-unavailable",
    "KrakenD's module versions are unknown, so dependency versions were not checked",
    Severity.NOTICE,
)

_HOW = (
    "give --krakend-version X.Y.Z with network access, --krakend-go-sum/--krakend-go-mod PATH, "
    "--krakend-binary PATH, or run `krakend-plugin-lint reference pull X.Y.Z` once for offline use"
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.reference is not None or (not ctx.target.version and ctx.target.edition != "ee"):
        return  # with no target release KP107 speaks
    first = next(plugins_with_gomod(ws), None)
    if first is None:
        return  # no plugin module: nothing was skipped
    plugin, gomod = first
    reasons = "; ".join(note.rstrip(".") for note in ctx.reference_notes if note)
    message = "no KrakenD module reference, so the plugin's module versions were not compared with KrakenD's"
    yield RULE.finding(
        Location(gomod.path),
        f"{message}: {reasons}" if reasons else message,
        hint=_HOW,
        plugin=plugin.dir,
        key="reference unavailable",
    )
