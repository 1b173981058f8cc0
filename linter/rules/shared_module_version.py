"""A module the plugin shares with KrakenD must be required at exactly KrakenD's version.

## Why
Go's plugin loader compares every package the plugin and KrakenD both contain; if one was
built from different code, `plugin.Open` fails with `plugin was built with a different version
of package google.golang.org/grpc/codes` (or similar). KrakenD logs that at DEBUG level and
starts without the plugin. "Same import versions" is one of KrakenD's documented plugin
requirements, and `krakend check-plugin` exists to check it.

In the default (precise) mode the rule compares the plugin's build list (go.mod with `go 1.17`
or later lists every module of the build; its `replace`s are applied) with KrakenD's. With an
older `go` line the list is incomplete, so versions missing from go.mod are read from go.sum
and the message says so. In `check-plugin` mode it reproduces `krakend check-plugin` of the
target KrakenD exactly: the highest version of each module over every go.sum line against
KrakenD's build list, reported once per module, on the go.mod requirement to edit when it
differs too, else on that go.sum line. A shared module go.mod does not require, whose go.sum
version is below KrakenD's (either mode), is reported on go.mod where requiring it would go: the
indirect `require` block, or the last `require` line. Modules KrakenD or the plugin
replace are left to KP103, KrakenD's own framework modules (precise mode) to KP104. Test
support modules (testify, go-spew, go-difflib, ...) and the JSON encoders gin uses only under
build tags (goccy/go-json, bytedance/sonic) are not linked into KrakenD: in precise mode they
count only when the plugin's own code imports them.

## Fails
```
module example.com/myplugin

go 1.22

require golang.org/x/sys v0.20.0 // indirect
```
(against KrakenD 2.7.0, which is built with `golang.org/x/sys v0.21.0`)

## Passes
```
module example.com/myplugin

go 1.22

require golang.org/x/sys v0.21.0 // indirect
```

## How to fix
Require the version KrakenD uses (`go get golang.org/x/sys@v0.21.0`, or for an indirect
requirement `go mod edit -replace golang.org/x/sys=golang.org/x/sys@v0.21.0`), run
`go mod tidy`, and rebuild. When your code needs a newer version than KrakenD's, the plugin
cannot be loaded into that KrakenD: target a KrakenD release that ships the version you need.
`krakend-plugin-lint fix` edits go.mod for you: a requirement gets KrakenD's version, and a shared
module go.mod does not require yet is added as `<module> <KrakenD's version> // indirect` to the
indirect `require` block (sorted by path); run `go mod tidy` afterwards so go.sum follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.analysis.dependencies import (
    check_plugin_want,
    framework_key,
    highest_code_versions,
    indentation,
    krakend_modules,
    plugins_with_gomod,
    sum_location,
    touched_by_replace,
    unique_requires,
)
from linter.inputs.gomod import GoMod, Require, RequireBlock, compare_semver
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.linking import linked_by_krakend
from linter.krakend.reference import Reference
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:
    from linter.inputs.gosum import GoSum
    from linter.krakend import checkplugin

RULE = RuleMeta(
    "KP101",
    "shared-module-version",
    "a module the plugin shares with KrakenD must be at KrakenD's version",
    Severity.ERROR,
)

_WHY = (
    "Go refuses to load a plugin that shares a package with KrakenD built from other code "
    "(`plugin was built with a different version of package ...`)"
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    reference = ctx.reference
    if reference is None:
        return  # KP106 says so once
    for plugin, gomod in plugins_with_gomod(ws):
        if ctx.mode != "check-plugin" and has_exact_verdict(ws, plugin):
            continue  # KP801 compares the packages really linked; module versions would over-report
        if ctx.mode == "check-plugin":
            yield from _check_plugin_mode(plugin, gomod, reference, ctx)
        elif gomod.lists_full_build():
            yield from _precise(plugin, gomod, reference, ctx)
        else:
            yield from _incomplete_build_list(plugin, gomod, reference, ctx)


def has_exact_verdict(ws: Workspace, plugin: PluginRoot) -> bool:
    """A built .so of this plugin and a KrakenD binary, both with link hashes: the exact verdict
    (KP801) decides. A module both require at different versions still loads when the host links
    none of the packages the plugin uses (seen in the loader oracle), which only the hashes show."""
    binary = ws.krakend_binary
    if binary is None or not binary.package_hashes:
        return False
    return any(
        built.main_module is not None and built.main_module.path == plugin.module and built.package_hashes
        for built in ws.built_plugins
    )


def _hint(module: str, want: str, reference: Reference) -> str:
    text = f"require {module} {want} (`go get {module}@{want}`), run `go mod tidy` and rebuild: {_WHY}"
    if not reference.exact:
        # go.mod/go.sum are a superset of what the binary links (test and graph-only modules).
        text += "; KrakenD's version was read from its go.mod, --krakend-binary tells whether it is linked"
    return text


def _related(reference: Reference, module: str) -> tuple[Location, ...]:
    found = reference.locations.get(module)
    return (found,) if found else ()


def _owned_here(gomod: GoMod, reference: Reference, module: str, version: str) -> bool:
    """False for modules another KP1xx rule reports (framework modules, replaced modules)."""
    return not framework_key(module) and not touched_by_replace(gomod, reference, module, version)


def _precise(plugin: PluginRoot, gomod: GoMod, reference: Reference, ctx: RuleContext) -> Iterator[Finding]:
    for req in unique_requires(gomod):
        want = krakend_modules(reference).get(req.path)
        if not want or want == req.version or not _owned_here(gomod, reference, req.path, req.version):
            continue
        if not linked_by_krakend(plugin, req.path):
            continue
        yield _require_finding(plugin, req, want, ctx, reference, "")


def _require_finding(
    plugin: PluginRoot, req: Require, want: str, ctx: RuleContext, reference: Reference, note: str
) -> Finding:
    return RULE.finding(
        req.location,
        f"{req.path} is {req.version} here but {ctx.target.module_label} is built with {want}{note}",
        hint=_hint(req.path, want, reference),
        fix=Fix(req.location.line, req.line_with_version(want)),
        related=_related(reference, req.path),
        plugin=plugin.dir,
        key=f"{req.path} {want}",
    )


def _incomplete_build_list(
    plugin: PluginRoot, gomod: GoMod, reference: Reference, ctx: RuleContext
) -> Iterator[Finding]:
    """go < 1.17: go.mod lists only part of the build; take the rest from go.sum's code lines."""
    said = f"go.mod says go {gomod.go.value}" if gomod.go else "go.mod has no go line"
    listed = {req.path: req for req in unique_requires(gomod)}
    for req in listed.values():
        want = krakend_modules(reference).get(req.path)
        if (want and want != req.version and _owned_here(gomod, reference, req.path, req.version)
                and linked_by_krakend(plugin, req.path)):
            note = f" ({said}, so the build list is incomplete and only partly checked)"
            yield _require_finding(plugin, req, want, ctx, reference, note)
    if plugin.gosum is not None:
        yield from _from_gosum(plugin, plugin.gosum, gomod, reference, ctx, said, set(listed))


def _from_gosum(
    plugin: PluginRoot,
    gosum: GoSum,
    gomod: GoMod,
    reference: Reference,
    ctx: RuleContext,
    said: str,
    listed: set[str],
) -> Iterator[Finding]:
    for module, have in sorted(highest_code_versions(gosum).items()):
        want = krakend_modules(reference).get(module)
        if module in listed or not want or want == have or not _owned_here(gomod, reference, module, have):
            continue
        if not linked_by_krakend(plugin, module):
            continue
        sum_at = sum_location(gosum, module, have)
        at, fix, related = _placed(gomod, module, have, want, sum_at, _related(reference, module))
        yield RULE.finding(
            at,
            f"{module} is {have} here but {ctx.target.module_label} is built with {want} "
            f"({said}, so the version was read from go.sum)",
            hint=_hint(module, want, reference),
            fix=fix,
            related=related,
            plugin=plugin.dir,
            key=f"{module} {want}",
        )


def _check_plugin_mode(plugin: PluginRoot, gomod: GoMod, reference: Reference, ctx: RuleContext) -> Iterator[Finding]:
    gosum = plugin.gosum
    if gosum is None:
        yield RULE.finding(
            Location(gomod.path),
            "no go.sum beside go.mod: `krakend check-plugin -s go.sum` stops with `no such file or directory`",
            hint="run `go mod tidy` to write go.sum and commit it",
            plugin=plugin.dir,
            key="missing go.sum",
        )
        return
    from linter.krakend import checkplugin  # only with a go.sum to compare

    version = ctx.target.module_version
    outcome = checkplugin.run(gosum, check_plugin_want(reference), version=version)
    if outcome.panic:
        yield RULE.finding(
            Location(gosum.path, outcome.panic_line),
            f"`krakend check-plugin` of {ctx.target.module_label} crashes on this go.sum line ({outcome.panic})",
            hint="remove the empty or malformed line (`go mod tidy` rewrites go.sum cleanly)",
            plugin=plugin.dir,
            key="check-plugin crash",
        )
    indirect = checkplugin.indirect_requirements(gomod)
    for diff in outcome.diffs:
        yield from _diff_findings(plugin, gomod, gosum, diff, ctx, reference, indirect)


def _diff_findings(
    plugin: PluginRoot,
    gomod: GoMod,
    gosum: GoSum,
    diff: checkplugin.Diff,
    ctx: RuleContext,
    reference: Reference,
    indirect: frozenset[str],
) -> Iterator[Finding]:
    from linter.krakend import checkplugin  # only with a go.sum to compare

    command = checkplugin.fix_command(diff, indirect=indirect, version=ctx.target.module_version)
    req = gomod.require_for(diff.name)
    label = ctx.target.module_label
    sum_at = sum_location(gosum, diff.name, diff.have)
    if req is not None and req.version != diff.want:
        # One report per module, as check-plugin prints one block: at the requirement to edit.
        yield RULE.finding(
            req.location,
            f"{diff.name} is {req.version} here but {label} has {diff.want} "
            f"(`krakend check-plugin` reports go.sum's {diff.have})",
            hint=f"`{command}`, then `go mod tidy`: {_WHY}",
            fix=Fix(req.location.line, req.line_with_version(diff.want)),
            related=(sum_at,),
            plugin=plugin.dir,
            key=f"{diff.name} {diff.want}",
        )
        return
    at: Location = sum_at
    fix: Fix | None = None
    related: tuple[Location, ...] = (req.location,) if req is not None else ()
    if req is None:
        at, fix, related = _placed(gomod, diff.name, diff.have, diff.want, sum_at, _related(reference, diff.name))
    yield RULE.finding(
        at,
        f"{diff.name} is {diff.have} in go.sum but {label} has {diff.want} "
        "(`krakend check-plugin` compares the highest version go.sum lists)",
        hint=f"`{command}`, then `go mod tidy`: {_WHY}",
        fix=fix,
        related=related,
        plugin=plugin.dir,
        key=f"{diff.name} {diff.want}",
    )


def _placed(gomod: GoMod, module: str, have: str, want: str, sum_at: Location, others: tuple[Location, ...]
            ) -> tuple[Location, Fix | None, tuple[Location, ...]]:
    """Where a module go.mod does not require is reported, its fix and related places. When go.sum's
    version is below KrakenD's, requiring KrakenD's version raises it (Go takes the highest asked
    for): the finding goes on go.mod, where the fix adds the requirement, and go.sum's line is
    related. A higher go.sum version is not lowered by a requirement: reported on go.sum, no fix."""
    added = _added_requirement(gomod, module, want) if compare_semver(have, want) < 0 else None
    if added is None:
        return sum_at, None, others
    return added[0], added[1], (sum_at, *others)


def _added_requirement(gomod: GoMod, module: str, version: str) -> tuple[Location, Fix] | None:
    """The fix that adds `module version // indirect` to go.mod, and where to report it: the indirect
    require block (else the last block) rewritten with the new line in sorted position; without a
    block, a `require` line after the last requirement. None when go.mod requires nothing or does not
    parse cleanly (an edit could land inside a broken block)."""
    if gomod.problems:
        return None
    if gomod.require_blocks:
        block = next((b for b in reversed(gomod.require_blocks) if b.indirect), gomod.require_blocks[-1])
        fix = Fix(block.line, _block_with(block, module, version), block.end_line)
        return Location(gomod.path, block.line, 1), fix
    if not gomod.requires:
        return None
    last = max(gomod.requires, key=lambda req: req.location.line)
    line = last.location.line
    return Location(gomod.path, line, 1), Fix(line, f"{last.line_text}\nrequire {module} {version} // indirect")


def _block_with(block: RequireBlock, module: str, version: str) -> str:
    """The block's lines with the requirement inserted before the first path sorting after it (and
    before the comment lines directly above that path), indented as the block's other lines."""
    body = list(block.lines[1:-1])
    paths = [_required_path(line) for line in body]
    indent = next((indentation(line) for line, path in zip(body, paths, strict=True) if path), "\t")
    at = next((i for i, path in enumerate(paths) if path > module), len(body))
    while at > 0 and at < len(body) and body[at - 1].strip().startswith("//"):
        at -= 1
    body.insert(at, f"{indent or chr(9)}{module} {version} // indirect")
    return "\n".join((block.lines[0], *body, block.lines[-1]))


def _required_path(line: str) -> str:
    """The module path a block line requires ("" for a blank or comment line)."""
    words = line.split()
    return words[0].strip('"') if words and not words[0].startswith("//") else ""
