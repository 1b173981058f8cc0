"""Nothing says which KrakenD release the plugin is built for.

## Why
A plugin loads only into a KrakenD built from the same Go release and the same versions of every
module both link, and every release differs. When no Dockerfile, compose file, Makefile,
Taskfile, workflow, config `$schema` or `--krakend-version` names the KrakenD it is deployed
into, the plugin may load or may not, depending on what someone deploys. The linter then
compares the plugin's build list with every KrakenD release whose build list it ships and
names those that fit. When none fits, no KrakenD 2 release can load the plugin: that is an
error when go.mod lists the whole build (`go 1.17` or later), a warning when the rest had to be
guessed from go.sum. KrakenD 1.x plugins are not compared (no 1.x build list is shipped), and a
module that holds its own lura gateway loading the plugin needs no KrakenD release at all.

## Fails
```
module example.com/myplugin

go 1.22

require golang.org/x/sys v0.20.0
```
with no Dockerfile, compose file or workflow naming a KrakenD image, and no `--krakend-version`

## Passes
```dockerfile
FROM krakend/builder:2.7.0 AS build
...
FROM krakend:2.7.0
```

## How to fix
Pin the KrakenD you deploy: build in `krakend/builder:<version>` and run `krakend:<version>`, or
pass `--krakend-version`. Pick one of the releases the finding names.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.dependencies import plugins_with_gomod
from linter.inputs.workspace import Workspace
from linter.krakend.era import krakend_major
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP107", "release-unknown", "the KrakenD release a plugin is deployed into should be pinned",
                Severity.WARNING)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.target.version or ctx.target.edition == "ee" or ctx.reference is not None:
        return
    major = krakend_major(ws, ctx.target)
    for plugin, gomod in plugins_with_gomod(ws):
        where = gomod.module.location if gomod.module is not None else Location(gomod.path)
        fits = ctx.fitting_releases.get(plugin.dir)
        if major == 1 or fits is None:
            yield RULE.finding(where, "no KrakenD release is pinned for this plugin (a KrakenD 1.x plugin: its "
                               "modules were not compared)" if major == 1 else
                               "no KrakenD release is pinned for this plugin", hint=_HINT, plugin=plugin.dir,
                               key="no release")
        elif fits:
            from linter.krakend.matrix import ranges  # the release matrix loads only without a pinned release

            yield RULE.finding(where, f"no KrakenD release is pinned for this plugin; its modules fit KrakenD "
                               f"{ranges(fits)}", hint=_HINT, plugin=plugin.dir, key="no release")
        else:
            complete = gomod.lists_full_build()
            yield RULE.finding(where, "no KrakenD release is pinned for this plugin, and no KrakenD 2 release links "
                               "the same versions of the modules it shares"
                               + ("" if complete else " (as far as a go.mod before go 1.17 and go.sum tell)"),
                               hint=_HINT + "; then align the modules with it (`krakend-plugin-lint matrix` shows "
                               "the differences)", plugin=plugin.dir, key="no release fits",
                               severity=Severity.ERROR if complete else None)


_HINT = "build in krakend/builder:<version> and run krakend:<version>, or pass --krakend-version"
