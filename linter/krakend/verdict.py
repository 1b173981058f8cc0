"""What the KP8xx rules share about built plugins: which pairs of a built plugin and a KrakenD
binary to judge (``verdicts``), plugins that share a plugin path, and how findings name and anchor
them. The judgement itself is ``linter.krakend.judge``, imported only when there is a pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.binary_reference import krakend_version_of_binary
from linter.krakend.contracts.definitions import SYMBOLS, at_least, contract_for_symbol
from linter.krakend.releases import release
from linter.model import Location

if TYPE_CHECKING:  # the ELF reader (pyelftools) is only imported when a binary is read
    from linter.inputs.gobinary import GoBinary
    from linter.inputs.gomod import Require
    from linter.krakend.judge import Mismatch, Verdict

REGISTERER_SYMBOLS = SYMBOLS  # HandlerRegisterer, ClientRegisterer, ModifierRegisterer, MiddlewareRegisterer


# --- registerers the target looks up ----------------------------------------------------------


def unused_registerers(registerers: Iterable[str], edition: str, version: str) -> tuple[str, ...]:
    """Exported registerers this KrakenD never looks up (an Enterprise-only or newer type)."""
    unused = []
    for symbol in registerers:
        contract = contract_for_symbol(symbol)
        if contract is None:
            continue
        if edition != "ee" and (contract.enterprise or at_least(version, contract.since_ce) is False):
            unused.append(symbol)
    return tuple(unused)


# --- plugin paths -----------------------------------------------------------------------------


def _build_identity(binary: GoBinary) -> tuple[str, str, tuple[tuple[str, bytes], ...]]:
    return binary.go_version_raw, binary.modinfo, tuple(sorted(binary.package_hashes.items()))


def shared_plugin_paths(plugins: Iterable[GoBinary]) -> tuple[tuple[str, tuple[GoBinary, ...]], ...]:
    """Plugin paths that two different builds share: loading both gives "plugin already loaded".

    Byte-for-byte the same build under two names (a copy in a Docker context) is not counted:
    it is one plugin, and only one of the copies is meant for the plugin folder.
    """
    groups: dict[str, dict[object, GoBinary]] = {}
    for binary in plugins:
        if binary.kind == "plugin" and binary.plugin_path:
            groups.setdefault(binary.plugin_path, {}).setdefault(_build_identity(binary), binary)
    return tuple((path, tuple(sorted(builds.values(), key=lambda b: b.path)))
                 for path, builds in sorted(groups.items()) if len(builds) > 1)


# --- where a human changes it -----------------------------------------------------------------


def go_plugins(ws: Workspace) -> tuple[GoBinary, ...]:
    """The built Go plugins to judge; empty unless a Go KrakenD binary was given too."""
    host = ws.krakend_binary
    if host is None or not host.is_go:
        return ()
    return tuple(b for b in ws.built_plugins if b.is_go and b.kind == "plugin")


def verdicts(ws: Workspace) -> Iterator[tuple[GoBinary, GoBinary, Verdict]]:
    host = ws.krakend_binary
    plugins = go_plugins(ws)
    if not plugins:
        return
    from linter.krakend.judge import judge

    for plugin in plugins:
        assert host is not None
        yield plugin, host, judge(plugin, host)


def plugin_root(ws: Workspace, plugin: GoBinary) -> PluginRoot | None:
    """The plugin root whose go.mod declares the module the .so was built from."""
    main = plugin.main_module.path if plugin.main_module else ""
    if not main:
        return None
    return next((root for root in ws.plugins if root.module == main), None)


def require_line(ws: Workspace, plugin: GoBinary, module: str) -> tuple[PluginRoot | None, Require | None]:
    root = plugin_root(ws, plugin)
    if root is None or root.gomod is None:
        return root, None
    return root, root.gomod.require_for(module)


def anchor(ws: Workspace, plugin: GoBinary, module: str = "") -> tuple[Location, PluginRoot | None, Require | None]:
    """The plugin's go.mod `require` line of ``module`` when it has one, else the .so itself."""
    root, req = require_line(ws, plugin, module) if module else (plugin_root(ws, plugin), None)
    if req is not None and root is not None and root.gomod is not None:
        loc = req.location
        return Location(root.gomod.path, loc.line, loc.column, loc.end_line, loc.end_column), root, req
    return Location(plugin.path), root, None


def listing(items: Iterable[str], limit: int = 5) -> str:
    """``a, b, c`` or ``a, b, c, d, e and 3 more``."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


def settings_text(mismatches: Iterable[Mismatch]) -> str:
    from linter.krakend.judge import describe_setting

    return ", ".join(describe_setting(m) for m in mismatches)


# --- naming the KrakenD binary ----------------------------------------------------------------


def krakend_version(host: GoBinary, fallback: str = "") -> str:
    """The KrakenD release the binary is (stamped or matched in the table), else ``fallback``."""
    found, _ = krakend_version_of_binary(host)
    return found or fallback


def host_label(host: GoBinary, version: str, with_go: bool = True) -> str:
    """``bin/krakend (KrakenD 2.7.0, Go 1.22.5)``."""
    parts = [f"KrakenD {version}" if version else "", f"Go {host.go_version}" if host.go_version and with_go else ""]
    inside = ", ".join(p for p in parts if p)
    return f"{host.path} ({inside})" if inside else host.path


def builder_image(version: str, libc: str) -> str:
    """The official builder image for that release and libc ("" when the table has none)."""
    found = release(version) if version else None
    image = found.builder(libc if libc in ("musl", "glibc") else "musl") if found else None
    return image.image if image else ""
