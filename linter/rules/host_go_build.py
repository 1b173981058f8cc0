"""A plugin build that runs with whatever Go the machine calling it has installed.

## Why
KrakenD refuses a plugin built with any other Go release than its own, patch included
(`plugin was built with a different version of package ...`, naming the first package that
differs: `runtime/internal/sys` up to Go 1.22, `internal/goarch` between 1.23 and 1.24). A Makefile
target, a shell script or a Taskfile task that runs `go build -buildmode=plugin` directly, not
inside `krakend/builder:<version>` or another pinned image, uses the Go of whoever runs it:
the plugin loads only when that happens to be exactly KrakenD's Go. CI jobs are checked by
KP204 (their `setup-go` pins), Dockerfile builds by KP201; when a Dockerfile builds the plugins,
the image is what is deployed and a local build beside it is not reported.

## Fails
```makefile
build:
	go build -buildmode=plugin -o my-plugin.so .
```

## Passes
```makefile
build:
	docker run --rm -v $(PWD):/app -w /app krakend/builder:2.7.0 \
		go build -buildmode=plugin -o my-plugin.so .
```
(or a `toolchain` line in go.mod, or `GOTOOLCHAIN=go1.22.5`, or a `go1.22.5` wrapper command)

## How to fix
Run the build inside `krakend/builder:<the KrakenD version you deploy>`, or pin the toolchain
to KrakenD's Go (`go mod edit -toolchain=go1.22.5`).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds
from linter.inputs.workspace import Workspace
from linter.krakend.linking import hosts_itself
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP206", "host-go-build", "plugin builds should not use whatever Go the machine has",
                Severity.WARNING)

_SCRIPTS = frozenset({"makefile", "shell", "taskfile"})


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if ws.plugins and all(hosts_itself(plugin) for plugin in ws.plugins):
        return  # the gateway is built by the same command, with the same Go
    if ws.go_version_files or any(p.gomod is not None and p.gomod.toolchain is not None for p in ws.plugins):
        return  # a pin file or a toolchain line decides the Go (KP203/KP204 check its value)
    sites = list(plugin_builds(ws))
    if any(site.kind == "dockerfile" for site in sites):
        return  # the image is what gets deployed; a local build beside it is a convenience
    want = f"{ctx.target.label_with_source} is built with Go {ctx.target.go_version}" if ctx.target.go_version else \
        "KrakenD needs plugins built with exactly the Go of its release"
    for site in sites:
        if _unpinned(site):
            yield RULE.finding(
                site.build.location,
                f"this plugin build runs with whatever Go is installed where it is called; {want}",
                hint="run it inside krakend/builder:<version>, or pin the toolchain "
                     "(go mod edit -toolchain=go<version>)",
                key=f"{site.path} host go",
            )


def _unpinned(site: BuildSite) -> bool:
    if site.kind not in _SCRIPTS or site.image is not None:
        return False
    toolchain = site.env("GOTOOLCHAIN") or ""
    return site.build.tool == "go" and not toolchain.startswith("go1")
