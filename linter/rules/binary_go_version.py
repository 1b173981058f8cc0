"""A built plugin and the KrakenD binary must come from the same Go release.

## Why
Go's plugin loader only accepts a plugin whose runtime and standard library are the very ones
the host was built with, so a plugin built with another Go release (a patch release too) is
refused: `plugin was built with a different version of package ...` (the first package that
differs: `runtime/internal/sys` up to Go 1.22, `internal/goarch` between 1.23 and 1.24). Between
releases further apart it is worse: the loader never gets to that check and KrakenD dies at
start-up with `fatal error: runtime: no plugin module data` (a 1.23 or 1.24 plugin in a Go 1.22
KrakenD does this). This rule reads the Go release from both binaries' build info, so it also
holds for a KrakenD built by hand or a plugin built on a laptop.

## Fails
`my-plugin.so` built with `go1.23.9`, checked with `--krakend-binary krakend` built with `go1.22.10`.

## Passes
Both built with `go1.22.10`, for instance the plugin inside `krakend/builder` of that KrakenD release.

## How to fix
Rebuild the plugin with the Go release the finding names, best inside the `krakend/builder`
image of your KrakenD version, which ships exactly that Go.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.verdict import builder_image, host_label, krakend_version, verdicts
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP802", "binary-go-version", "a built plugin and the KrakenD binary must be built with the same Go",
    Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for plugin, host, verdict in verdicts(ws):
        if not verdict.go_differs:
            continue
        version = krakend_version(host, ctx.target.version)
        image = builder_image(version, host.libc)
        label = host_label(host, version, with_go=False)
        yield RULE.finding(
            Location(plugin.path),
            f"{plugin.path} was built with Go {verdict.plugin_go} but {label} with Go {verdict.host_go}: "
            "Go refuses a plugin from another Go release, and may even crash KrakenD at start-up with "
            "`fatal error: runtime: no plugin module data`",
            hint=f"rebuild the plugin with Go {verdict.host_go}" + (f" (inside {image})" if image else ""),
            key=f"{plugin.path} go{verdict.plugin_go} vs go{verdict.host_go}",
        )
