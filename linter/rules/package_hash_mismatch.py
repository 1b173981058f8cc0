"""Every package a built plugin shares with the KrakenD binary must have the same link hash.

## Why
When KrakenD opens a plugin, Go's loader compares, for every package the plugin links, the
fingerprint the linker recorded in the `.so` with the one in the KrakenD binary
(`go:link.pkghashbytes.<package>`), and refuses the plugin on the first difference:
`plugin.Open("/opt/krakend/plugins/my-plugin.so"): plugin was built with a different version of
package github.com/luraproject/lura/v2/config`. KrakenD v2 logs that at DEBUG level and starts
without the plugin. This rule reads both binaries and lists every differing package, not only the
first one Go names, grouped by the module that provides it, with the version each side was built
from. A package differs when its code differs (another module version or replacement), but also
when the same code was compiled differently: another Go release, `-trimpath` on one side only,
another module cache path.

## Fails
```
require github.com/luraproject/lura/v2 v2.6.0
```
in the plugin's go.mod, with `--plugin-so my-plugin.so --krakend-binary krakend` where the
KrakenD binary links lura v2.7.0.

## Passes
```
require github.com/luraproject/lura/v2 v2.7.0
```
built in `krakend/builder` of the same KrakenD release, with the same flags as KrakenD.

## How to fix
Require the version KrakenD links (the finding names it; `go get <module>@<version>` and `go mod
tidy`), or add the same `replace` KrakenD has, and rebuild. For standard library packages and
for modules at the same version on both sides, rebuild with KrakenD's Go release and flags,
best inside `krakend/builder:<version>`, and without `-trimpath`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.inputs.gomod import is_directory_path
from linter.inputs.workspace import Workspace
from linter.krakend.verdict import (
    anchor,
    builder_image,
    host_label,
    krakend_version,
    listing,
    settings_text,
    verdicts,
)
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:  # the ELF reader and the judgement are imported only when a binary is read
    from linter.inputs.gobinary import GoBinary
    from linter.krakend.judge import ModuleDifference, Side, Verdict

RULE = RuleMeta(
    "KP801", "package-hash-mismatch", "packages the plugin shares with the KrakenD binary must be identical",
    Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for plugin, host, verdict in verdicts(ws):
        version = krakend_version(host, ctx.target.version)
        std = verdict.std
        # Same-version modules differ for the reason the standard library does: say it once there.
        folded = tuple(d for d in verdict.differences if not d.is_std and d.same_version) if std else ()
        for diff in verdict.differences:
            if not diff.is_std and diff not in folded:
                yield _module_finding(ws, plugin, host, verdict, diff, version)
        if std is not None:
            yield _std_finding(plugin, host, verdict, std, folded, version)


def _refusal(diff: ModuleDifference) -> str:
    if len(diff.packages) == 1:
        return f"KrakenD refuses it with `plugin was built with a different version of package {diff.packages[0]}`"
    return ("KrakenD refuses it with `plugin was built with a different version of package ...`, naming the first "
            "of them Go checks")


def _count(diff: ModuleDifference) -> str:
    noun = "package differs" if len(diff.packages) == 1 else "packages differ"
    return f"{len(diff.packages)} {noun} ({listing(diff.packages)})"


def _module_finding(ws: Workspace, plugin: GoBinary, host: GoBinary, verdict: Verdict, diff: ModuleDifference,
                    version: str) -> Finding:
    location, root, req = anchor(ws, plugin, diff.module)
    label = host_label(host, version)
    if diff.same_version:
        cause = settings_text(verdict.settings) or _same_code_cause(diff.plugin)
        message = (f"{diff.module} {diff.plugin} is linked by both {plugin.path} and {label}, but compiled "
                   f"differently ({cause}): {_count(diff)}; {_refusal(diff)}")
        hint = _rebuild_hint(version, host)
        return RULE.finding(location, message, hint=hint, plugin=root.dir if root else "",
                            key=f"{plugin.path} {diff.module} compiled differently")
    message = (f"{plugin.path} links {diff.module} {diff.plugin} but {label} links {diff.host}: "
               f"{_count(diff)}; {_refusal(diff)}")
    fix = None
    if _plain(diff.host) and req is not None and not diff.plugin.replace:
        fix = Fix(req.location.line, req.line_with_version(diff.host.version))
    return RULE.finding(location, message, hint=_version_hint(diff), fix=fix, plugin=root.dir if root else "",
                        key=f"{plugin.path} {diff.module} {diff.plugin} vs {diff.host}")


def _plain(side: Side) -> bool:
    return side.version.startswith("v") and not side.replace


def _same_code_cause(side: Side) -> str:
    if side.replace and is_directory_path(side.replace):
        return f"both replace it with the local folder {side.replace}, which may hold other code"
    return "another module cache or source path, or other compiler flags"


def _version_hint(diff: ModuleDifference) -> str:
    module, want = diff.module, diff.host
    rebuild = "run `go mod tidy` and rebuild the plugin"
    if not want.version:
        return f"KrakenD's build info does not list {module}; build the plugin from KrakenD's module versions"
    if want.replace:
        return f"KrakenD replaces it: add `replace {module} => {want.replace}` to go.mod, {rebuild}"
    if diff.plugin.replace:
        return f"drop the `replace` of {module} (KrakenD uses {want.version}), require {want.version}, {rebuild}"
    return f"require {module} {want.version} (`go get {module}@{want.version}`), {rebuild}"


def _rebuild_hint(version: str, host: GoBinary) -> str:
    image = builder_image(version, host.libc)
    where = f" inside {image}" if image else ""
    return (f"build the plugin{where} with Go {host.go_version} and KrakenD's flags (no -trimpath, default "
            "module cache path), as KrakenD itself is built")


def _std_finding(plugin: GoBinary, host: GoBinary, verdict: Verdict, std: ModuleDifference,
                 folded: tuple[ModuleDifference, ...], version: str) -> Finding:
    label = host_label(host, version, with_go=False)
    if verdict.go_differs:
        cause = f"{plugin.path} was built with Go {verdict.plugin_go}, {label} with Go {verdict.host_go}"
    else:
        flags = settings_text(verdict.settings)
        cause = (f"both were built with Go {verdict.host_go} but " + (flags if flags else "compiled differently"))
    noun = "package differs" if len(std.packages) == 1 else "packages differ"
    message = f"{len(std.packages)} Go standard library {noun} ({listing(std.packages)}): {cause}"
    if folded:
        modules = listing(d.module for d in folded)
        count = sum(len(d.packages) for d in folded)
        noun = "package" if count == 1 else "packages"
        message += f"; so do {count} {noun} of modules at the same version on both sides ({modules})"
    message += f"; {_refusal(std)}"
    return RULE.finding(Location(plugin.path), message, hint=_rebuild_hint(version, host),
                        key=f"{plugin.path} standard library go{verdict.plugin_go} vs go{verdict.host_go}")
