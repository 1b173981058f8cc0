"""A `replace` on a module shared with KrakenD must be the same replace KrakenD has.

## Why
A `replace` changes which code is compiled under a module's import path. If the plugin
replaces a module KrakenD also links, or KrakenD replaces one the plugin uses and the plugin
does not, the two builds compile that module's packages from different code and `plugin.Open`
fails with `plugin was built with a different version of package ...`. `krakend check-plugin`
cannot see this: it reads only go.sum, and KrakenD's build info reports the original version
of a replaced module. KrakenD CE 2.0.0–2.4.6 carried replaces (`gregjones/httpcache`,
`auth0-community/go-auth0`, `alexeyco/binder`); later releases have none. A replace that
points the module at exactly KrakenD's version (`m => m v`, what `check-plugin -f`
suggests for indirect requirements) builds the same code and passes.

## Fails
```
require github.com/gin-gonic/gin v1.9.1

replace github.com/gin-gonic/gin => github.com/myfork/gin v1.9.2
```

## Passes
```
require github.com/gin-gonic/gin v1.9.1

replace github.com/gin-gonic/gin => github.com/gin-gonic/gin v1.9.1
```

## How to fix
Remove the plugin's replace of a shared module, or point it at the version KrakenD builds
(`go mod edit -replace m=m@<KrakenD's version>`). For a module KrakenD replaces, copy
KrakenD's replace directive into the plugin's go.mod, then `go mod tidy`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.dependencies import krakend_modules, plugins_with_gomod, replace_line, unique_requires
from linter.inputs.gomod import Replace, Require
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Replacement
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP103",
    "shared-module-replace",
    "a replace on a module shared with KrakenD must match KrakenD's own replace",
    Severity.ERROR,
)

_WHY = "both sides must compile the module from the same code or plugin.Open fails"


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    reference = ctx.reference
    if reference is None:
        return
    for plugin, gomod in plugins_with_gomod(ws):
        for req in unique_requires(gomod):
            want = krakend_modules(reference).get(req.path)
            if not want:
                continue
            theirs = reference.replacement_for(req.path, want)
            ours = gomod.replacement_for(req.path, req.version)
            if ours is not None:
                yield from _plugin_replace(plugin, req, ours, want, theirs, ctx)
            elif theirs is not None:
                yield _missing_replace(plugin, req, theirs, ctx)


def _effective(rep: Replace | Replacement | None, module: str, version: str) -> tuple[str, str]:
    return (rep.new_path, rep.new_version) if rep else (module, version)


def _describe(path: str, version: str) -> str:
    return f"{path} {version}".rstrip() if version else f"the local directory {path}"


def _plugin_replace(
    plugin: PluginRoot, req: Require, ours: Replace, want: str, theirs: Replacement | None, ctx: RuleContext
) -> Iterator[Finding]:
    built = _effective(ours, req.path, req.version)
    expected = _effective(theirs, req.path, want)
    if built == expected:
        return
    label = ctx.target.module_label
    if theirs is None:
        message = f"{req.path} is replaced by {_describe(*built)} here but {label} builds {req.path} {want}"
    else:
        message = (
            f"{req.path} is replaced by {_describe(*built)} here but {label} replaces it by {_describe(*expected)}"
        )
    fix_text = replace_line(ours, *expected)
    yield RULE.finding(
        ours.location,
        message,
        hint=f"point the replace at {_describe(*expected)} or remove it: {_WHY}",
        fix=Fix(ours.location.line, fix_text) if ours.location.line else None,
        related=(req.location,),
        plugin=plugin.dir,
        key=f"replace {req.path}",
    )


def _missing_replace(plugin: PluginRoot, req: Require, theirs: Replacement, ctx: RuleContext) -> Finding:
    old = f"{theirs.old_path} {theirs.old_version}".rstrip()
    directive = f"replace {old} => {theirs.new_path} {theirs.new_version}".rstrip()
    return RULE.finding(
        req.location,
        f"{ctx.target.module_label} replaces {req.path} by {_describe(theirs.new_path, theirs.new_version)} "
        "but the plugin builds the original module",
        hint=f"add `{directive}` to go.mod (and require {req.path} {theirs.old_version or 'at the same version'}), "
        f"then `go mod tidy`: {_WHY}; `krakend check-plugin` cannot detect this",
        related=(),
        plugin=plugin.dir,
        key=f"missing replace {req.path}",
    )
