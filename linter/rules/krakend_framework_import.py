"""The plugin should not depend on KrakenD's own framework (lura) or component modules.

## Why
A plugin that imports lura or a `krakend-*` component shares those packages with KrakenD, so it
only loads into the one KrakenD release built from exactly the same versions; any other
release fails with `plugin was built with a different version of package
github.com/luraproject/lura/v2/...` (krakend-ce#475, luraproject/lura#570). The registerer
interfaces a plugin must satisfy use only standard library types, so the few framework
interfaces a plugin needs can be declared locally.

These modules were renamed over KrakenD's history: the framework
`github.com/devopsfaith/krakend` became `github.com/luraproject/lura` (and `/v2` for KrakenD 2),
and the components moved from `github.com/devopsfaith/krakend-*` (CE 2.0.0–2.0.4) to
`github.com/krakendio/krakend-*` (2.0.5–2.10.2) and `github.com/krakend/krakend-*` (2.11.0 on).
A plugin that requires an old path against a KrakenD that uses the new one builds a second,
separate copy of the module and its dependencies instead of sharing KrakenD's.

A warning; an error (precise mode) when the module is one KrakenD links at another version,
and only a notice when it is at exactly the version the target KrakenD links (the plugin loads
there; it just cannot move to another release without a rebuild). In check-plugin mode the
version difference is reported by KP101, as check-plugin does.

## Fails
```
require github.com/luraproject/lura/v2 v2.6.3
```
(against KrakenD 2.7.0, built with lura v2.7.0: an error; at v2.7.0 it is a notice)

## Passes
```
require github.com/google/uuid v1.6.0
```
(with the registerer types declared in the plugin itself)

## How to fix
Declare the interfaces the plugin needs in its own package and drop the requirement. If it
must stay, require exactly the version KrakenD uses, under the module path that KrakenD
release uses.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.dependencies import framework_key, krakend_modules, plugins_with_gomod, unique_requires
from linter.inputs.gomod import Require
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP104",
    "krakend-framework-import",
    "the plugin should not require lura or KrakenD component modules",
    Severity.WARNING,
)

_LOCAL = "declare the small interfaces the plugin needs in its own package and drop the requirement"


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for plugin, gomod in plugins_with_gomod(ws):
        for req in unique_requires(gomod):
            key = framework_key(req.path)
            if key:
                yield _finding(plugin, req, key, ctx)


def _finding(plugin: PluginRoot, req: Require, key: str, ctx: RuleContext) -> Finding:
    reference = ctx.reference
    label = ctx.target.module_label
    if reference is None:
        return _plain(plugin, req, "")
    modules = krakend_modules(reference)
    want = modules.get(req.path)
    if want == req.version:
        return _plain(plugin, req, f"; it is the version {label} uses, so the plugin loads only into that release",
                      Severity.NOTICE)
    if want:
        if ctx.mode == "check-plugin":
            return _plain(plugin, req, f"; {label} uses {want} (reported by KP101)")
        return RULE.finding(
            req.location,
            f"{req.path} is {req.version} here but {label} is built with {want}",
            hint=f"{_LOCAL}; or require {req.path} {want}, the version KrakenD uses",
            fix=Fix(req.location.line, req.line_with_version(want)),
            severity=Severity.ERROR,
            plugin=plugin.dir,
            key=f"{req.path} {want}",
        )
    renamed = _same_module_elsewhere(reference, req.path, key)
    if renamed:
        return _renamed(plugin, req, renamed, modules[renamed], label)
    return _plain(plugin, req, f"; {label} does not link it")


def _plain(plugin: PluginRoot, req: Require, detail: str, severity: Severity | None = None) -> Finding:
    how = "requires" if not req.indirect else "depends (indirectly, through another dependency) on"
    return RULE.finding(
        req.location,
        f"the plugin {how} KrakenD's own module {req.path}{detail}",
        hint=f"{_LOCAL}: a plugin sharing KrakenD's packages loads only into a KrakenD built from the same versions",
        plugin=plugin.dir,
        key=f"framework {req.path}",
        severity=severity,
    )


def _same_module_elsewhere(reference: Reference, path: str, key: str) -> str:
    """The path under which the target KrakenD links the same framework module, if another."""
    for module in sorted(krakend_modules(reference)):
        if module != path and framework_key(module) == key:
            return module
    return ""


def _renamed(plugin: PluginRoot, req: Require, used: str, version: str, label: str) -> Finding:
    return RULE.finding(
        req.location,
        f"{req.path} is not the module {label} uses: it links {used} {version}, so the plugin builds "
        "a separate copy instead of sharing KrakenD's",
        hint=f"{_LOCAL}; or import {used} and require it at {version} (the path changed across KrakenD "
        "releases: devopsfaith -> krakendio -> krakend, devopsfaith/krakend -> luraproject/lura)",
        plugin=plugin.dir,
        key=f"renamed {req.path}",
    )
