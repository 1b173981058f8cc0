"""Shared reading of a plugin's dependencies for the KP1xx rules.

Which rule owns which difference, so one problem is reported once:
KP101 plain version differences; KP103 anything a `replace` (the plugin's or KrakenD's) touches;
KP104 KrakenD's own framework and component modules (precise mode); KP105 vendor/modules.txt;
KP102 differences that exist only in go.sum.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from linter.inputs.gomod import GoMod, Replace, Require, compare_semver
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.linking import hosts_itself
from linter.krakend.reference import Reference
from linter.model import Location

if TYPE_CHECKING:  # the go.sum parser loads only with a go.sum
    from linter.inputs.gosum import GoSum

LURA_PATHS = ("github.com/luraproject/lura", "github.com/devopsfaith/krakend")
# Owners of KrakenD's component modules over time (devopsfaith -> krakendio -> krakend).
COMPONENT_OWNERS = ("github.com/devopsfaith/", "github.com/krakendio/", "github.com/krakend/")


def plugins_with_gomod(ws: Workspace) -> Iterator[tuple[PluginRoot, GoMod]]:
    """The plugins whose build list is compared with KrakenD's: not those whose module also holds
    the lura gateway that loads them (one go.mod builds both, so they cannot differ)."""
    for plugin in ws.plugins:
        if plugin.gomod is not None and not hosts_itself(plugin):
            yield plugin, plugin.gomod


def strip_major(path: str) -> str:
    """`github.com/x/y/v2` -> `github.com/x/y` (a `/vN` suffix with N >= 2 is a major version)."""
    head, _, tail = path.rpartition("/")
    if head and len(tail) >= 2 and tail[0] == "v" and tail[1:].isdigit() and int(tail[1:]) >= 2:
        return head
    return path


def framework_key(path: str) -> str:
    """ "lura" for the framework under any name or major, "krakend-<x>" for a KrakenD component
    under any owner or major, "" for every other module."""
    base = strip_major(path)
    if base in LURA_PATHS:
        return "lura"
    for owner in COMPONENT_OWNERS:
        name = base.removeprefix(owner)
        if name != base and name.startswith("krakend-") and "/" not in name:
            return name
    return ""


def unique_requires(gomod: GoMod) -> Iterator[Require]:
    """Each required module once, at the version the file selects (the highest listed)."""
    for path in dict.fromkeys(r.path for r in gomod.requires):
        req = gomod.require_for(path)
        if req is not None:
            yield req


def krakend_modules(reference: Reference) -> Mapping[str, str]:
    """KrakenD's module -> version: its build list, or go.sum's highest versions when only a
    go.sum was given."""
    return reference.modules or reference.sum_versions


def check_plugin_want(reference: Reference) -> Mapping[str, str]:
    """What `krakend check-plugin` compares against: the modules in the running binary's build info,
    i.e. KrakenD's build list. A module only KrakenD's go.sum mentions (a test dependency such as
    testify) is not in it; go.sum's highest versions stand in only when no build list is known."""
    return krakend_modules(reference)


def krakend_replaces(reference: Reference, module: str) -> bool:
    return reference.replacement_for(module, krakend_modules(reference).get(module, "")) is not None


def touched_by_replace(gomod: GoMod, reference: Reference, module: str, version: str) -> bool:
    """True when KP103 owns the module: the plugin or KrakenD replaces it."""
    return gomod.replacement_for(module, version) is not None or krakend_replaces(reference, module)


def highest_code_versions(gosum: GoSum) -> dict[str, str]:
    """Per module, the highest version whose code (not just go.mod) go.sum holds."""
    best: dict[str, str] = {}
    for entry in gosum.entries:
        if not entry.is_gomod and compare_semver(best.get(entry.module, ""), entry.version) < 0:
            best[entry.module] = entry.version
    return best


def sum_location(gosum: GoSum, module: str, version: str) -> Location:
    entry = gosum.entry_for(module, version)
    return entry.location if entry else Location(gosum.path)


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def replace_line(rep: Replace, new_path: str, new_version: str) -> str:
    """The replace statement rewritten to point at ``new_path new_version`` (block or single form)."""
    old = f"{rep.old_path} {rep.old_version}".rstrip()
    body = f"{old} => {new_path} {new_version}".rstrip()
    stripped = rep.line_text.lstrip()
    single = stripped.startswith("replace") and not stripped.startswith(rep.old_path)
    prefix = "replace " if single else ""
    return f"{indentation(rep.line_text)}{prefix}{body}"
