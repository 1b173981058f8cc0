"""A plugin build must use `-buildmode=plugin`.

## Why
KrakenD loads plugins with Go's `plugin.Open`, which accepts only files built with
`-buildmode=plugin`. `go build -o my-plugin.so .` without it writes an executable with a `.so`
name; `-buildmode=c-shared` writes a C shared library. Both fail with `plugin.Open(...): ...
not a Go plugin` (or a missing symbol), logged by KrakenD at DEBUG level. The rule looks at
builds that write a `.so`, and at builds in a KrakenD builder image that name no output.

## Fails
```sh
go build -o my-plugin.so .
```

## Passes
```sh
go build -buildmode=plugin -o my-plugin.so .
```

## How to fix
Add `-buildmode=plugin` to the `go build` command (and remove any other `-buildmode`).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, build_sites, replace_at
from linter.inputs.shell import env_lookup, expand
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP601", "buildmode-plugin", "a plugin build must use -buildmode=plugin", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for site in build_sites(ws):
        build = site.build
        if build.subcommand != "build" or build.buildmode == "plugin" or not _builds_a_plugin(site):
            continue
        flag = build.flag("buildmode")
        if flag is not None:
            old = f"-buildmode={flag.value}"
            yield RULE.finding(flag.location, f"-buildmode={flag.value} does not build a Go plugin KrakenD can load",
                               hint="use -buildmode=plugin",
                               fix=replace_at(site.lines, flag.location, old, "-buildmode=plugin"))
            continue
        word = build.command.words[1] if len(build.command.words) > 1 else build.command.words[0]
        yield RULE.finding(word.location, "go build without -buildmode=plugin writes an executable, not a plugin",
                           hint="add -buildmode=plugin", fix=_insert_after(site, word.location.line,
                                                                        word.location.end_column))


def _builds_a_plugin(site: BuildSite) -> bool:
    output = expand(site.build.output, env_lookup(site.build.env))
    if output.endswith(".so"):
        return True
    return site.image is not None and site.image.role == "krakend-builder" and not output and not site.build.buildmode


def _insert_after(site: BuildSite, line: int, column: int) -> Fix | None:
    if not 0 < line <= len(site.lines) or column <= 0:
        return None
    text = site.lines[line - 1]
    if text[column - 6 : column - 1] != "build":
        return None
    return Fix(line, text[: column - 1] + " -buildmode=plugin" + text[column - 1 :])
