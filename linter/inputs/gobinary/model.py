"""What a Go ELF file tells: the ``GoBinary`` facts and the module lines of its build info."""

from __future__ import annotations

import mmap
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from linter.model import Location, Problem

Buffer = bytes | bytearray | mmap.mmap

BUILDINFO_MAGIC = b"\xff Go buildinf:"


@dataclass(frozen=True)
class Module:
    """A module line of the build info; ``replace`` is the ``=>`` line that followed it."""

    path: str
    version: str
    sum: str = ""
    replace: Module | None = None


@dataclass(frozen=True)
class ModInfo:
    """The parsed module info text (``runtime/debug.BuildInfo`` without the Go version)."""

    package_path: str = ""
    main_module: Module | None = None
    deps: tuple[Module, ...] = ()
    settings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoBinary:
    """What later rules need from a Go ELF file. Mappings are read-only (so not hashable)."""

    path: str
    elf_class: int = 0  # 32 or 64
    byte_order: str = ""  # "little" or "big"
    machine: str = ""  # "x86_64", "aarch64", ...
    goarch: str = ""  # "amd64", "arm64", ...
    kind: str = ""  # "executable", "plugin", "shared-object" ("" when not an ELF program)
    interpreter: str = ""
    libc: str = ""  # "glibc", "musl", "static" or ""
    needed: tuple[str, ...] = ()
    go_version: str = ""  # "1.22.10"
    go_version_raw: str = ""  # "go1.22.10" (may carry " X:experiment" suffixes)
    buildinfo_format: str = ""  # "inline" (Go 1.18+), "pointer" (Go 1.13-1.17) or ""
    modinfo: str = ""  # the module info text without its sentinels
    package_path: str = ""  # the "path" line: the main package's import path
    main_module: Module | None = None
    deps: tuple[Module, ...] = ()
    settings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    package_hashes: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    plugin_path: str = ""
    exported_symbols: frozenset[str] = frozenset()
    exported_symbols_source: str = ""  # "ptab", "dynsym" or ""
    stripped: bool = False
    problems: tuple[Problem, ...] = ()
    foreign_format: str = ""  # "Mach-O" or "PE" for a binary built for macOS or Windows, not ELF

    @property
    def is_go(self) -> bool:
        return bool(self.go_version_raw)

    def dep(self, module_path: str) -> Module | None:
        return next((dep for dep in self.deps if dep.path == module_path), None)


def problem(path: str, message: str, kind: str = "unparsable") -> Problem:
    return Problem(Location(path), message, kind)
