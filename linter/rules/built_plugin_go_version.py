"""A built plugin (.so) must have been compiled with exactly the Go KrakenD was built with.

## Why
Go records the compiler release in every binary's build info. KrakenD loads a plugin only when
both were built by the same Go release, patch included; otherwise `plugin.Open` fails with
`plugin was built with a different version of package <first package that differs>` (named
`runtime/internal/sys` up to Go 1.22, `internal/goarch` between 1.23 and 1.24) and KrakenD v2
logs it at DEBUG level and starts without the plugin; a Go 1.22 side with a 1.23 or later side
crashes KrakenD with `fatal error: runtime: no plugin module data` instead. The hint quotes
the failure of the two Go releases involved. This rule reads `.so` files found in the tree
or given with `--plugin`, so it also catches a plugin built on a laptop or by another CI job.

## Fails
A `my-plugin.so` whose build info says `go1.22.4`, for KrakenD 2.7.0 (built with Go 1.22.5).

## Passes
A `my-plugin.so` built with `go1.22.5` inside `krakend/builder:2.7.0`.

## How to fix
Rebuild the plugin with KrakenD's Go, best inside `krakend/builder:<your KrakenD version>`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.contracts.failures import go_mismatch_effect
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP205", "built-plugin-go-version", "a built .so must be compiled with KrakenD's Go", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.target.go_version:
        return
    want = ctx.target.go_version
    for binary in ws.built_plugins:
        if not binary.go_version or binary.go_version == want:
            continue
        builder = ctx.target.release.builder("musl") if ctx.target.release else None
        yield RULE.finding(
            Location(binary.path),
            f"{binary.path} was built with Go {binary.go_version} but {ctx.target.label_with_source} is built with "
            f"Go {want}",
            hint=(f"rebuild with Go {want}" + (f" (inside {builder.image})" if builder else "")
                  + f"; {go_mismatch_effect(binary.go_version, want)}"),
        )
