"""A workspace as KrakenD's loaders see it: which packages are plugins, their registerers and the
names they register (computed once per run), and Go types written for messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from linter.inputs.gosource import (
    GoFile,
    GoModule,
    GoPackage,
    GoType,
    build_module,
    is_built,
)
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.contracts.definitions import CONTRACTS, SYMBOLS
from linter.krakend.contracts.names import Registration
from linter.krakend.contracts.registerer import Registerer, analyse_package


def is_plugin_candidate(package: GoPackage) -> bool:
    """A package that is, or tries to be, a KrakenD plugin: it declares a contract symbol, or it
    is `package main` written like a plugin (no `func main`, an empty one, or a Register method)."""
    if any(package.value(s) or package.function(s) or package.type_decl(s) for s in SYMBOLS):
        return True
    if package.name != "main":
        return False
    main = package.function("main")
    if main is None or main.statements <= 0:
        return True
    required = {c.method for c in CONTRACTS}
    return any(m.name in required for m in package.methods)


def plugin_packages(module: GoModule) -> Iterator[GoPackage]:
    for package in module.packages:
        if is_plugin_candidate(package):
            yield package


@dataclass(frozen=True)
class PluginSource:
    """One plugin package of a plugin root, with its registerer symbols analysed."""

    plugin: PluginRoot
    module: GoModule
    package: GoPackage
    registerers: tuple[Registerer, ...]

    def symbol_path(self) -> str:
        """What Go's plugin package calls the plugin in its errors (the package import path)."""
        return self.package.import_path or "<plugin package path>"


@dataclass(frozen=True)
class RegisteredName:
    name: str
    plugin_type: str
    registration: Registration
    source: PluginSource


@dataclass(frozen=True)
class SourceView:
    sources: tuple[PluginSource, ...]
    names: tuple[RegisteredName, ...]
    unknown_types: frozenset[str]  # plugin types with a registration whose name is not static


_VIEW: list[tuple[Workspace, SourceView]] = []


def source_view(ws: Workspace) -> SourceView:
    """Every plugin package of the workspace and the names it registers (computed once per run)."""
    if _VIEW and _VIEW[0][0] is ws:
        return _VIEW[0][1]
    sources: list[PluginSource] = []
    for plugin in ws.plugins:
        module = build_module(plugin.module, plugin.dir, plugin.sources)
        for package in plugin_packages(module):
            sources.append(PluginSource(plugin, module, package, analyse_package(module, package)))
    names: list[RegisteredName] = []
    unknown: set[str] = set()
    for source in sources:
        for reg in source.registerers:
            if (reg.method is not None and not reg.callback_called) or not reg.registrations:
                unknown.add(reg.contract.type)  # names not known: the config is not judged for this type
            for item in reg.registrations:
                if item.name is None:
                    unknown.add(reg.contract.type)
                else:
                    names.append(RegisteredName(item.name, reg.contract.type, item, source))
    view = SourceView(tuple(sources), tuple(names), frozenset(unknown))
    _VIEW[:] = [(ws, view)]
    return view


def plugin_types(sources: tuple[GoFile, ...]) -> tuple[str, ...]:
    """The plugin types a plugin root's sources declare a symbol for ("unknown" when none)."""
    declared = {d.name for f in sources if is_built(f) for d in f.declarations}
    found = tuple(c.type for c in CONTRACTS if c.symbol in declared)
    return found or ("unknown",)


def display(t: GoType | None, package: GoPackage) -> str:
    """Go syntax for messages: the package's own types unqualified, others as `pkg.Name`."""
    if t is None:
        return "?"
    return _localise(t, package.import_path).render() if package.import_path else t.render()


def _localise(t: GoType, import_path: str) -> GoType:
    if t.kind in ("named", "generic") and t.package == import_path:
        t = replace(t, package="")
    if not (t.elems or t.results or t.methods):
        return t
    return replace(
        t,
        elems=tuple(_localise(e, import_path) for e in t.elems),
        results=tuple(_localise(r, import_path) for r in t.results),
        methods=tuple((n, _localise(s, import_path)) for n, s in t.methods),
    )
