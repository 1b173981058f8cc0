"""The exact load verdict: will this built plugin load into this KrakenD binary?

``judge(plugin, host)`` compares two read Go binaries the way Go's plugin loader and KrakenD's
loaders will, without running either. It is pure: no files, no environment, same answer for the
same inputs.

What the loader does (``plugin.Open`` → ``runtime.plugin_lastmoduleinit``), checked on real
builds with Go 1.22, 1.23 and 1.24:

- A plugin whose plugin path is already loaded is refused with "plugin already loaded" (see
  ``shared_plugin_paths``).
- For every package the plugin links, the link-time hash recorded in the plugin is compared with
  the ``go:link.pkghashbytes.<package>`` the host exports; the first difference refuses the
  plugin with "plugin was built with a different version of package <package>". The verdict lists
  every differing package, not only the first, each attributed to the module that provides it.
- A plugin from another Go release may not get that far: 1.23 and 1.24 plugins crash a 1.22 host
  with "fatal error: runtime: no plugin module data".
- The hash depends on the code *and* on how it was compiled: the same module version compiled in
  another module cache path, or with ``-trimpath`` on one side only, differs too.
- KrakenD then looks up its registerer symbols; a plugin that exports none is opened and ignored.

A positive verdict is only given when it is exact: both binaries carry link hashes to compare.
``linter.krakend.verdict`` finds the pairs to judge in a workspace and names them for findings;
this module is imported only when there is a pair (a KrakenD binary and a built plugin).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.krakend.contracts.definitions import SYMBOLS

if TYPE_CHECKING:  # the ELF reader (pyelftools) is only imported when a binary is read
    from linter.inputs.gobinary import GoBinary, Module

STD = "Go standard library"
REGISTERER_SYMBOLS = SYMBOLS  # HandlerRegisterer, ClientRegisterer, ModifierRegisterer, MiddlewareRegisterer
# Build settings that change compiled code (and so link hashes); -ldflags and CGO_* flags do not.
CODE_SETTINGS = ("-trimpath", "-gcflags", "-asmflags", "-race", "-msan", "-asan", "-compiler", "-tags",
                 "CGO_ENABLED", "GOEXPERIMENT", "GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386",
                 "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64")


@dataclass(frozen=True)
class Side:
    """A module as one binary's build info names it."""

    version: str  # "v0.4.0", "(devel)", "go1.23.9" for the standard library; "" when not listed
    replace: str = ""  # "example.com/fork v1.2.0" or "../local"; "" when not replaced

    def __str__(self) -> str:
        if not self.version:
            return "not in its build info"
        return f"{self.version} => {self.replace}" if self.replace else self.version


@dataclass(frozen=True)
class ModuleDifference:
    """The packages of one module (or of the standard library) whose link hashes differ."""

    module: str
    packages: tuple[str, ...]
    plugin: Side
    host: Side

    @property
    def is_std(self) -> bool:
        return self.module == STD

    @property
    def same_version(self) -> bool:
        """Both sides name the same code: the difference comes from how it was compiled."""
        return self.plugin == self.host and bool(self.plugin.version)


@dataclass(frozen=True)
class Mismatch:
    """One fact that differs between the plugin and the host (machine, libc, a build setting)."""

    what: str
    plugin: str
    host: str


@dataclass(frozen=True)
class Verdict:
    """One plugin against one KrakenD binary. ``will_load`` is True only when the comparison is
    exact and nothing differs; it is about this pair alone (``shared_plugin_paths`` looks across
    plugins)."""

    plugin: str  # display path of the .so
    host: str  # display path of the KrakenD binary
    plugin_go: str
    host_go: str
    shared: int  # packages linked by both (what the loader compares)
    differences: tuple[ModuleDifference, ...]
    platform: tuple[Mismatch, ...]  # ELF machine/architecture/class and libc
    settings: tuple[Mismatch, ...]  # build settings that change compiled code
    registerers: tuple[str, ...]  # registerer symbols the plugin exports
    exact: bool  # both sides had link hashes: the comparison is the loader's own
    unknowns: tuple[str, ...]  # why the verdict is not exact
    will_load: bool

    @property
    def go_differs(self) -> bool:
        return bool(self.plugin_go and self.host_go and self.plugin_go != self.host_go)

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(sorted(p for d in self.differences for p in d.packages))

    @property
    def std(self) -> ModuleDifference | None:
        return next((d for d in self.differences if d.is_std), None)


def judge(plugin: GoBinary, host: GoBinary) -> Verdict:
    """Compare ``plugin`` with ``host`` as Go's loader and KrakenD's loaders will."""
    theirs, ours = host.package_hashes, plugin.package_hashes
    shared = [p for p in ours if p in theirs]
    differing = [p for p in shared if ours[p] != theirs[p]]
    unknowns = _unknowns(plugin, host)
    registerers = tuple(s for s in REGISTERER_SYMBOLS if s in plugin.exported_symbols)
    differences = attribute(differing, plugin, host)
    platform = platform_mismatches(plugin, host)
    exact = not unknowns
    will_load = (exact and not differences and not platform and bool(registerers)
                 and plugin.go_version == host.go_version)
    return Verdict(
        plugin=plugin.path, host=host.path, plugin_go=plugin.go_version, host_go=host.go_version,
        shared=len(shared), differences=differences, platform=platform,
        settings=setting_mismatches(plugin, host), registerers=registerers, exact=exact,
        unknowns=unknowns, will_load=will_load,
    )


def _unknowns(plugin: GoBinary, host: GoBinary) -> tuple[str, ...]:
    found = []
    if not plugin.is_go or not host.is_go:
        found.append("one of the files has no Go build info")
    if plugin.kind != "plugin":
        found.append(f"{plugin.path} is not a Go plugin (built without -buildmode=plugin)")
    if not plugin.package_hashes:
        found.append(f"{plugin.path} has no package link hashes")
    if not host.package_hashes:
        found.append(f"{host.path} has no package link hashes (it does not import Go's plugin package, "
                     "so it cannot load plugins)")
    return tuple(found)


# --- attribution ------------------------------------------------------------------------------


def is_std_package(package: str) -> bool:
    """Go's rule: a standard library import path has no dot in its first element."""
    return "." not in package.split("/", 1)[0]


def _owner(package: str, modules: Iterable[str]) -> str:
    """The longest module path that is the package or a parent folder of it; "" when none."""
    best = ""
    for module in modules:
        if (package == module or package.startswith(module + "/")) and len(module) > len(best):
            best = module
    return best


def _side(binary: GoBinary, module: str) -> Side:
    if module == STD:
        return Side(f"go{binary.go_version}" if binary.go_version else "")
    if binary.main_module is not None and binary.main_module.path == module:
        return Side(binary.main_module.version)
    dep = binary.dep(module)
    if dep is None:
        return Side("")
    return Side(dep.version, replacement_text(dep.replace))


def replacement_text(replace: Module | None) -> str:
    if replace is None:
        return ""
    keep_version = replace.version and replace.version != "(devel)"
    return f"{replace.path} {replace.version}" if keep_version else replace.path


def attribute(packages: Iterable[str], plugin: GoBinary, host: GoBinary) -> tuple[ModuleDifference, ...]:
    """Group differing packages by the module that provides them (std packages together)."""
    deps = {dep.path for dep in (*plugin.deps, *host.deps)}
    mains = {m.path for m in (plugin.main_module, host.main_module) if m is not None}
    grouped: dict[str, list[str]] = {}
    for package in packages:
        module = _owner(package, deps)
        if not module and not is_std_package(package):
            module = _owner(package, mains)
        if not module:
            # A dotless path no module provides is the standard library; a dotted one is a package
            # the build infos do not explain (a GOPATH build): it stands for itself.
            module = STD if is_std_package(package) else package
        grouped.setdefault(module, []).append(package)
    found = [ModuleDifference(m, tuple(sorted(p)), _side(plugin, m), _side(host, m)) for m, p in grouped.items()]
    return tuple(sorted(found, key=lambda d: (d.is_std, d.module)))


# --- platform and build settings --------------------------------------------------------------


def _arch(binary: GoBinary) -> str:
    if binary.machine and binary.goarch:
        return f"{binary.machine} ({binary.goarch})"
    return binary.machine or binary.goarch


def platform_mismatches(plugin: GoBinary, host: GoBinary) -> tuple[Mismatch, ...]:
    found = []
    if plugin.machine and host.machine and (plugin.machine, plugin.goarch) != (host.machine, host.goarch):
        found.append(Mismatch("machine", _arch(plugin), _arch(host)))
    elif plugin.elf_class and host.elf_class and plugin.elf_class != host.elf_class:
        found.append(Mismatch("machine", f"{plugin.elf_class}-bit", f"{host.elf_class}-bit"))
    if plugin.libc and host.libc and plugin.libc != host.libc:
        found.append(Mismatch("libc", plugin.libc, host.libc))
    return tuple(found)


def setting_mismatches(plugin: GoBinary, host: GoBinary) -> tuple[Mismatch, ...]:
    """Build settings that change compiled code and differ ("" when a side does not record it)."""
    return tuple(Mismatch(key, plugin.settings.get(key, ""), host.settings.get(key, ""))
                 for key in CODE_SETTINGS if plugin.settings.get(key, "") != host.settings.get(key, ""))


def describe_setting(mismatch: Mismatch) -> str:
    """``-trimpath=true in the plugin only`` / ``-gcflags: "all=-N" in the plugin, none in KrakenD``."""
    if not mismatch.host:
        return f"{mismatch.what}={mismatch.plugin} in the plugin only"
    if not mismatch.plugin:
        return f"{mismatch.what}={mismatch.host} in KrakenD only"
    return f"{mismatch.what}={mismatch.plugin} in the plugin but {mismatch.what}={mismatch.host} in KrakenD"
