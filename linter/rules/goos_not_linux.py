"""Plugins must be built for Linux.

## Why
KrakenD runs on Linux (its Docker image, deb/rpm packages and tarballs), and Go's plugin
package loads only ELF plugins built for the same OS. A plugin built with `GOOS=darwin` on a
Mac, or on a macOS/Windows CI runner without `GOOS=linux`, can never be opened by KrakenD.
(Cross-compiling a plugin to Linux from another OS also needs a Linux C toolchain; building in
`krakend/builder` avoids all of it.)

## Fails
```sh
GOOS=darwin go build -buildmode=plugin -o my-plugin.so .
```

## Passes
```sh
docker run --rm -v "$PWD:/app" -w /app krakend/builder:2.7.0 go build -buildmode=plugin -o my-plugin.so .
```

## How to fix
Build on Linux, best inside `krakend/builder:<your KrakenD version>`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import plugin_builds
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP304", "goos-not-linux", "plugins must be built for Linux", Severity.ERROR)

_NON_LINUX_RUNNERS = ("macos", "windows")


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[Location] = set()
    for site in plugin_builds(ws):
        goos = site.build.getenv("GOOS")
        value = site.env("GOOS")
        if goos is not None and value and value != "linux" and "$" not in value:
            anchor, message = goos.location, f"GOOS={value}: KrakenD only loads plugins built for linux"
        elif goos is None and site.runner.startswith(_NON_LINUX_RUNNERS):
            anchor = site.build.location
            message = f"the plugin is built on a {site.runner} runner, not for linux"
        else:
            continue
        if anchor in seen:
            continue
        seen.add(anchor)
        yield RULE.finding(anchor, message, hint="build for linux inside krakend/builder:<version> (a job container or "
                           "`docker run`)")
