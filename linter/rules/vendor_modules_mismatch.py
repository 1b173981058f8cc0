"""vendor/modules.txt must agree with go.mod, and the vendored modules with KrakenD.

## Why
With a `vendor` directory and `go 1.14` or later, `go build` compiles the vendored copies,
and first checks that vendor/modules.txt matches go.mod: a requirement, replacement or
`## explicit` mark that disagrees stops the build with `inconsistent vendoring`. When it does
build, the vendored versions are what ends up in the plugin, so a vendored module KrakenD
also links must be at KrakenD's version (for `go` below 1.17, modules.txt is the only complete
list of what is built). Differences in modules go.mod lists are reported by KP101 on go.mod.

## Fails
```
# golang.org/x/sys v0.20.0
## explicit; go 1.18
golang.org/x/sys/unix
```
(go.mod requires `golang.org/x/sys v0.21.0`)

## Passes
```
# golang.org/x/sys v0.21.0
## explicit; go 1.18
golang.org/x/sys/unix
```

## How to fix
Run `go mod vendor` after every go.mod change and commit the result; fix versions in go.mod
(see KP101), not in vendor/modules.txt.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.analysis.dependencies import krakend_modules, plugins_with_gomod
from linter.inputs.gomod import GoMod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:  # the parser of vendor/modules.txt loads only with such a file
    from linter.inputs.modules_txt import ModulesTxt, VendoredModule

RULE = RuleMeta(
    "KP105",
    "vendor-modules-mismatch",
    "vendor/modules.txt must match go.mod and KrakenD's module versions",
    Severity.ERROR,
)

_HINT = "run `go mod vendor` and commit vendor/: `go build` stops with `inconsistent vendoring` otherwise"


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for plugin, gomod in plugins_with_gomod(ws):
        vendor = plugin.modules_txt
        if vendor is None:
            continue
        version = gomod.go_version() or (1, 16, 0)  # a missing go line means 1.16 to the Go command
        if version < (1, 14, 0):
            yield from _pre_114(plugin, gomod, vendor)
            continue  # before 1.14 the vendor directory is not used by default
        yield from _requirements(plugin, gomod, vendor)
        yield from _replacements(plugin, gomod, vendor)
        yield from _explicit_extra(plugin, gomod, vendor)
        yield from _against_krakend(plugin, gomod, vendor, ctx)


def _at(vendor: ModulesTxt, path: str, fallback: Location) -> Location:
    found = vendor.module_for(path)
    return found.location if found else fallback


def _finding(plugin: PluginRoot, location: Location, message: str, key: str, hint: str = _HINT) -> Finding:
    return RULE.finding(location, message, hint=hint, plugin=plugin.dir, key=key)


def _pre_114(plugin: PluginRoot, gomod: GoMod, vendor: ModulesTxt) -> Iterator[Finding]:
    for req in gomod.requires:
        found = vendor.module_for(req.path)
        if found and found.packages and found.version and found.version != req.version:
            yield _finding(
                plugin,
                found.location,
                f"vendor/modules.txt has {req.path} {found.version} but go.mod requires {req.version}",
                f"version {req.path}",
            )


def _requirements(plugin: PluginRoot, gomod: GoMod, vendor: ModulesTxt) -> Iterator[Finding]:
    for req in gomod.requires:
        entry = vendor.module_for(req.path, req.version)
        if entry is not None and entry.explicit:
            continue
        other = vendor.module_for(req.path)
        if other is not None and other.version and other.version != req.version:
            message = f"vendor/modules.txt has {req.path} {other.version} but go.mod requires {req.version}"
        elif entry is not None:
            message = (
                f"{req.path} {req.version} is required in go.mod but not marked `## explicit` in vendor/modules.txt"
            )
        else:
            message = f"{req.path} {req.version} is required in go.mod but missing from vendor/modules.txt"
        yield _finding(plugin, _at(vendor, req.path, req.location), message, f"require {req.path}")


def _replacements(plugin: PluginRoot, gomod: GoMod, vendor: ModulesTxt) -> Iterator[Finding]:
    for rep in gomod.replaces:
        # Recorded under the same key: `# m v => ...` for a versioned replace, `# m => ...` else.
        entry = vendor.module_for(rep.old_path, rep.old_version)
        got = (entry.replacement_path, entry.replacement_version) if entry else ("", "")
        if got == (rep.new_path, rep.new_version):
            continue
        target = f"{rep.new_path} {rep.new_version}".rstrip()
        if got == ("", ""):
            message = f"{rep.old_path} is replaced in go.mod but not in vendor/modules.txt"
        else:
            message = f"{rep.old_path} is replaced by {target} in go.mod but by {' '.join(got).rstrip()} in vendor"
        yield _finding(plugin, _at(vendor, rep.old_path, rep.location), message, f"replace {rep.old_path}")
    for entry in vendor.modules:
        if entry.replaced and gomod.replacement_for(entry.path, entry.version) is None:
            message = f"{entry.path} is replaced in vendor/modules.txt but not in go.mod"
            yield _finding(plugin, entry.location, message, f"vendor replace {entry.path}")


def _explicit_extra(plugin: PluginRoot, gomod: GoMod, vendor: ModulesTxt) -> Iterator[Finding]:
    required = {r.path for r in gomod.requires}
    for entry in vendor.explicit():
        # A required module at another version was already reported by _requirements.
        if entry.version and entry.packages and entry.path not in required:
            message = (
                f"{entry.path} {entry.version} is marked `## explicit` in vendor/modules.txt "
                "but go.mod does not require it"
            )
            yield _finding(plugin, entry.location, message, f"explicit {entry.path}")


def _against_krakend(plugin: PluginRoot, gomod: GoMod, vendor: ModulesTxt, ctx: RuleContext) -> Iterator[Finding]:
    """Vendored modules go.mod does not list (KP101 covers those): they are built as vendored."""
    reference = ctx.reference
    if reference is None:
        return
    listed = {r.path for r in gomod.requires}
    for entry in vendor.modules:
        want = krakend_modules(reference).get(entry.path)
        if not _compared(entry, listed) or not want or want == entry.version:
            continue
        if reference.replacement_for(entry.path, want) is not None:
            continue  # KP103 explains replaced modules
        yield _finding(
            plugin,
            entry.location,
            f"{entry.path} is vendored at {entry.version} but {ctx.target.module_label} is built with {want}",
            f"krakend {entry.path}",
            hint=f"require {entry.path} {want} in go.mod, then `go mod tidy` and `go mod vendor`",
        )


def _compared(entry: VendoredModule, listed: set[str]) -> bool:
    return bool(entry.version and entry.packages and not entry.replaced and entry.path not in listed)
