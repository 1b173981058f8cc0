"""A version difference that exists only in go.sum cannot stop the plugin loading; says why.

## Why
`krakend check-plugin` takes, per module, the highest version on any go.sum line, including
`/go.mod` lines (Go needed only that version's go.mod file to resolve requirements, and
compiles none of its code) and lines left over from earlier requirements. Such a version is
not in the build, so it cannot make `plugin.Open` fail, yet check-plugin reports it and a CI
job gating on check-plugin fails. This notice explains each such report, so nobody downgrades
a dependency that is already right. Precise mode only, and only when go.mod (`go 1.17` or
later) lists the whole build.

## Fails
```
golang.org/x/sys v0.20.0 h1:...
golang.org/x/sys v0.20.0/go.mod h1:...
golang.org/x/sys v0.22.0/go.mod h1:...
```
(go.mod requires `golang.org/x/sys v0.20.0`, the version KrakenD uses; a dependency's go.mod
mentions v0.22.0, so check-plugin reports v0.22.0)

## Passes
```
golang.org/x/sys v0.20.0 h1:...
golang.org/x/sys v0.20.0/go.mod h1:...
```

## How to fix
Nothing is needed for loading. To make `krakend check-plugin` agree, run `go mod tidy` (drops
stale lines); for a graph-only `/go.mod` line, pin the module with
`go mod edit -replace m=m@<KrakenD's version>` and `go mod tidy`, which is what
`krakend check-plugin -f` suggests for indirect requirements.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.analysis.dependencies import check_plugin_want, krakend_modules, plugins_with_gomod, touched_by_replace
from linter.inputs.gomod import GoMod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:
    from linter.inputs.gosum import GoSum
    from linter.krakend import checkplugin

RULE = RuleMeta(
    "KP102",
    "gosum-only-difference",
    "a version that differs only in go.sum does not affect loading (check-plugin still reports it)",
    Severity.NOTICE,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    reference = ctx.reference
    if reference is None or ctx.mode != "precise":
        return
    for plugin, gomod in plugins_with_gomod(ws):
        if plugin.gosum is not None and gomod.lists_full_build():
            yield from _plugin(plugin, gomod, plugin.gosum, reference, ctx)


def _plugin(
    plugin: PluginRoot, gomod: GoMod, gosum: GoSum, reference: Reference, ctx: RuleContext
) -> Iterator[Finding]:
    from linter.krakend import checkplugin  # only with a go.sum to compare

    outcome = checkplugin.run(gosum, check_plugin_want(reference), version=ctx.target.module_version)
    for diff in outcome.diffs:
        req = gomod.require_for(diff.name)
        built = req.version if req else ""
        if built and (built != krakend_modules(reference).get(diff.name, diff.want)):
            continue  # the build itself differs: KP101 reports it
        if touched_by_replace(gomod, reference, diff.name, built or diff.have):
            continue  # KP103's
        entry = gosum.entry_for(diff.name, diff.have)
        if entry is None:
            continue
        yield RULE.finding(
            entry.location,
            _message(diff, built, ctx.target.module_label),
            hint=_hint(diff, entry.is_gomod),
            plugin=plugin.dir,
            key=f"{diff.name} {diff.have}",
        )


def _message(diff: checkplugin.Diff, built: str, label: str) -> str:
    what = f"the build uses {built}" if built else "the module is not in the build"
    return (
        f"{diff.name} {diff.have} appears only in go.sum ({what}, {label} has {diff.want}): "
        "loading is not affected, but `krakend check-plugin` reports it"
    )


def _hint(diff: checkplugin.Diff, graph_only: bool) -> str:
    if graph_only:
        return (
            "this is a `/go.mod` line: Go read only that version's go.mod while resolving requirements "
            "and compiles none of its code; to make check-plugin agree, pin it with "
            f"`go mod edit -replace {diff.name}={diff.name}@{diff.want}` and `go mod tidy`"
        )
    return "this line is left over from an earlier requirement: `go mod tidy` removes it"
