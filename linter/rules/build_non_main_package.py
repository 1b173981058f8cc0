"""A plugin build must compile a `package main`.

## Why
`go build -buildmode=plugin` accepts only a main package (`-buildmode=plugin requires exactly
one main package`), and KrakenD's loaders look the registerer symbol up in that package. A build
pointed at a library directory (the plugin code moved to `package myplugin`, or the wrong folder
given) fails, or builds something else than the plugin. The rule resolves the build's package
argument (`.` when none) from the directory of the file holding the build (the Dockerfile,
Makefile or script; the repository root for workflows) and reads the package clause of the Go
files there.

## Fails
```sh
go build -buildmode=plugin -o p.so ./internal/handler
```
(where `internal/handler/*.go` say `package handler`)

## Passes
```sh
go build -buildmode=plugin -o p.so .
```
(where `./*.go` say `package main`)

## How to fix
Point the build at the directory with `package main` (the one declaring the registerer), or
rename the package to `main`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds
from linter.inputs.gosource import GoFile
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP607", "build-non-main-package", "a plugin build must compile a package main", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    files = [f for plugin in ws.plugins for f in plugin.sources if not f.is_test]
    seen: set[Location] = set()
    for site in plugin_builds(ws):
        target = _package_dir(site)
        if target is None:
            continue
        directory, anchor = target
        here = [f for f in files if f.dir == directory]
        if not here or any(f.package == "main" for f in here) or anchor in seen:
            continue
        seen.add(anchor)
        yield RULE.finding(
            anchor,
            f"the plugin build compiles {directory}, whose package is {_packages(here)}, not main",
            hint="build the directory with `package main` (the one declaring the registerer), or rename the "
                 "package to main",
            related=tuple(f.package_location for f in here[:1] if f.package_location is not None),
        )


def _package_dir(site: BuildSite) -> tuple[str, Location] | None:
    base = posixpath.dirname(site.path) if site.kind != "workflow" else ""
    packages = site.build.packages
    if len(packages) > 1:
        return None
    word = packages[0] if packages else None
    relative = word.text if word else "."
    if not relative.startswith(".") or "..." in relative or "$" in relative:
        return None
    directory = posixpath.normpath(posixpath.join(base or ".", relative))
    command = site.build.command
    anchor = word.location if word else (command.words[1].location if len(command.words) > 1 else command.location)
    return directory, anchor


def _packages(files: list[GoFile]) -> str:
    return ", ".join(sorted({f.package for f in files if f.package})) or "unknown"
