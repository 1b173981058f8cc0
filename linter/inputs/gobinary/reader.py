"""``Reader``: one Go ELF file to a ``GoBinary`` (build info, link hashes, plugin path, exports)."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from linter.inputs.gobinary.elf import PF_W, PF_X, SymbolTable
from linter.inputs.gobinary.model import BUILDINFO_MAGIC, GoBinary
from linter.inputs.gobinary.modinfo import is_exported_identifier, parse_modinfo, symbol_prefix, uvarint
from linter.inputs.gobinary.symbols import CorruptError, Symbols

_SENTINEL = 16  # bytes of framing at each end of the module info
_PLUGIN_PATH_SYMBOL = "go:link.thispluginpath"
_PTAB_SYMBOL = "go:plugin.tabs"
_TYPES_SYMBOL = "runtime.types"
_UNNAMED_PLUGIN = "plugin/unnamed-"


@dataclass
class _BuildInfo:
    version: str = ""
    modinfo: str = ""
    format: str = ""


class Reader(Symbols):
    """One file's reading state; every step appends its own problems and never raises on bad data."""

    # -- top level ------------------------------------------------------------------------

    def read(self) -> GoBinary:
        if not self._open():
            return GoBinary(path=self.path, problems=tuple(self.problems), foreign_format=self.foreign)
        assert self.elf is not None
        self._read_sections()
        self._read_segments()
        self._check_extent()
        interpreter, needed, flags_1 = self._dynamic_facts()
        machine, goarch = self._arch()
        build = self._build_info()
        mod = parse_modinfo(build.modinfo)
        for error in mod.errors:
            self.problem(f"{self.path}: unreadable Go module info, {error}")
        hashes = self._package_hashes(scan_symtab=self.elf["e_type"] == "ET_DYN" and not interpreter)
        elf_type = self.elf["e_type"]
        kind = self._kind(elf_type, interpreter, flags_1, mod.settings.get("-buildmode", ""), hashes)
        plugin_path, exports, source = ("", frozenset[str](), "")
        if kind == "plugin":
            plugin_path = self._plugin_path(mod.package_path, hashes)
            exports, source = self._exports(plugin_path, build.version)
        stripped = not any(section.type == "SHT_SYMTAB" for section in self.sections)
        self._judge(kind, build, hashes, plugin_path, stripped)
        token = build.version.split(" ")[0]
        return GoBinary(
            path=self.path,
            elf_class=32 if not self.is64 else 64,
            byte_order="little" if self.little else "big",
            machine=machine,
            goarch=goarch,
            kind=kind,
            interpreter=interpreter,
            libc=_libc(interpreter, needed, kind),
            needed=needed,
            go_version=token.removeprefix("go"),
            go_version_raw=build.version,
            buildinfo_format=build.format,
            modinfo=build.modinfo,
            package_path=mod.package_path,
            main_module=mod.main_module,
            deps=mod.deps,
            settings=mod.settings,
            package_hashes=MappingProxyType(hashes),
            plugin_path=plugin_path,
            exported_symbols=exports,
            exported_symbols_source=source,
            stripped=stripped,
            problems=tuple(dict.fromkeys(self.problems)),
        )

    # -- build info -----------------------------------------------------------------------

    def _build_info(self) -> _BuildInfo:
        found = self._find_buildinfo()
        if found is None:
            self.problem(f"{self.path} has no Go build info (no .go.buildinfo): it is not a Go program, "
                         "or it was built by a Go older than 1.13", "not-go")
            return _BuildInfo()
        blob, where = found
        try:
            info = self._decode_buildinfo(blob)
        except CorruptError as err:
            self.problem(f"{self.path} has corrupt Go build info at {where}: {err}")
            return _BuildInfo()
        return info

    def _find_buildinfo(self) -> tuple[bytes, str] | None:
        section = self._section(".go.buildinfo")
        if section is not None:
            data = self._at(section.offset, section.size) or bytes(self.buffer[section.offset : self.size])
            pos = _aligned_find(data, BUILDINFO_MAGIC, section.addr)
            if pos >= 0:
                return data[pos:], f"section .go.buildinfo+{pos:#x}"
        # No section headers (or a build that has none): the blob is in a writable, non-executable
        # segment, 16-aligned in memory, as Go's debug/buildinfo looks for it.
        for load in self.loads:
            if load.flags & (PF_W | PF_X) != PF_W:
                continue
            data = bytes(self.buffer[load.offset : min(self.size, load.offset + load.filesz)])
            pos = _aligned_find(data, BUILDINFO_MAGIC, load.vaddr)
            if pos >= 0:
                return data[pos:], f"address {load.vaddr + pos:#x}"
        return None

    def _decode_buildinfo(self, blob: bytes) -> _BuildInfo:
        if len(blob) < 32:
            raise CorruptError(f"the header is cut short ({len(blob)} of 32 bytes)")
        ptr_size, flags = blob[14], blob[15]
        if flags & 2:
            version, pos = _varint_string(blob, 32, "Go version")
            modinfo, _ = _varint_string(blob, pos, "module info")
            fmt = "inline"
        else:
            if ptr_size not in (4, 8):
                raise CorruptError(f"pointer size {ptr_size} is neither 4 nor 8")
            code = ">" if flags & 1 else "<"
            code += "Q" if ptr_size == 8 else "I"
            version_ptr = struct.unpack_from(code, blob, 16)[0]
            modinfo_ptr = struct.unpack_from(code, blob, 16 + ptr_size)[0]
            version = self._go_string(version_ptr, code, "Go version")
            modinfo = self._go_string(modinfo_ptr, code, "module info")
            fmt = "pointer"
        if not version:
            raise CorruptError("the Go version string is empty")
        text = version.decode("utf-8", errors="replace")
        if len(modinfo) >= 2 * _SENTINEL + 1 and modinfo[-_SENTINEL - 1] == 0x0A:
            modinfo = modinfo[_SENTINEL:-_SENTINEL]
        else:
            modinfo = b""  # no module info (GOPATH mode) or not framed as cmd/go writes it
        return _BuildInfo(text, modinfo.decode("utf-8", errors="replace"), fmt)


    # -- plugins --------------------------------------------------------------------------

    def _plugin_path(self, package_path: str, hashes: Mapping[str, bytes]) -> str:
        symtab = self._table("SHT_SYMTAB")
        if symtab is not None:
            for symbol in self._find(symtab, (_PLUGIN_PATH_SYMBOL,)):
                if symbol.name == _PLUGIN_PATH_SYMBOL:
                    data = self._va(symbol.value, symbol.size)
                    if data:
                        return data.decode("utf-8", errors="replace")
        if package_path and package_path != "command-line-arguments" and package_path in hashes:
            return symbol_prefix(package_path)
        unnamed = sorted(name for name in hashes if name.startswith(_UNNAMED_PLUGIN))
        if len(unnamed) == 1:
            return unnamed[0]
        if package_path and package_path != "command-line-arguments":
            return symbol_prefix(package_path)
        return ""

    def _exports(self, plugin_path: str, version: str) -> tuple[frozenset[str], str]:
        """Exported names: from ``go:plugin.tabs`` when .symtab has it, else from .dynsym names."""
        symtab = self._table("SHT_SYMTAB")
        if symtab is not None:
            listed = self._ptab_names(symtab, version)
            if listed is not None:
                return frozenset(listed), "ptab"
        dynsym = self._dynsym_table()
        if not plugin_path or dynsym is None:
            return frozenset(), ""
        prefix = plugin_path + "."
        names = set()
        for symbol in self._find(dynsym, (prefix,)):
            name = symbol.name[len(prefix):]
            if symbol.name.startswith(prefix) and symbol.kind in (1, 2) and is_exported_identifier(name):
                names.add(name)
        return frozenset(names), "dynsym"

    def _ptab_names(self, symtab: SymbolTable, version: str) -> list[str] | None:
        symbols = {s.name: s for s in self._find(symtab, (_PTAB_SYMBOL, _TYPES_SYMBOL))}
        ptab, types = symbols.get(_PTAB_SYMBOL), symbols.get(_TYPES_SYMBOL)
        if ptab is None or types is None:
            return None
        table = self._va(ptab.value, ptab.size)
        if table is None:
            return None
        old_names = _version_tuple(version) < (1, 17)
        names = []
        for offset in range(0, len(table) - 7, 8):
            name_off = self._unpack("i", table, offset)[0]
            name = self._abi_name(types.value + name_off, old_names)
            if name is None:
                return None
            names.append(name)
        return names

    def _abi_name(self, addr: int, old: bool) -> str | None:
        """A runtime ``abi.Name``: a flag byte, the length (uvarint; 2 bytes big-endian before 1.17)."""
        head = self._va(addr, 3) if old else self._va_upto(addr, 11)
        if not head:
            return None
        if old:
            length, start = int.from_bytes(head[1:3], "big"), addr + 3
        else:
            decoded = uvarint(head, 1)
            if decoded is None:
                return None
            length, start = decoded[0], addr + decoded[1]
        data = self._va(start, length)
        return None if data is None else data.decode("utf-8", errors="replace")

    def _va_upto(self, addr: int, size: int) -> bytes | None:
        while size > 0:
            data = self._va(addr, size)
            if data is not None:
                return data
            size -= 1
        return None

    # -- problems that depend on several facts -----------------------------------------------

    def _judge(self, kind: str, build: _BuildInfo, hashes: Mapping[str, bytes], plugin_path: str,
               stripped: bool) -> None:
        if not build.version:
            return
        if kind == "plugin" and not hashes:
            self.problem(f"{self.path} is a Go plugin without go:link.pkghashbytes symbols; "
                         "its package link hashes cannot be compared")
        if kind == "plugin" and not plugin_path:
            what = "stripped (no .symtab) and its" if stripped else "its"
            self.problem(f"{self.path} is a Go plugin but {what} plugin path cannot be determined", "stripped")


def _aligned_find(data: bytes, needle: bytes, base_addr: int) -> int:
    """The first offset of ``needle`` in ``data`` whose address ``base_addr + offset`` is 16-aligned."""
    pos = data.find(needle)
    while pos >= 0 and (base_addr + pos) % 16:
        pos = data.find(needle, pos + 1)
    return pos


def _varint_string(blob: bytes, pos: int, what: str) -> tuple[bytes, int]:
    decoded = uvarint(blob, pos)
    if decoded is None:
        raise CorruptError(f"the {what} length at offset {pos} is cut short or overlong")
    length, start = decoded
    if start + length > len(blob):
        raise CorruptError(f"the {what} ({length} bytes at offset {start}) runs past the end of the build info")
    return blob[start : start + length], start + length


def _version_tuple(version: str) -> tuple[int, ...]:
    """(1, 22) for "go1.22.10"; (99,) when unknown, so the newest encodings are assumed."""
    token = version.split(" ")[0].removeprefix("go")
    parts = []
    for part in token.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            return (99,)
        parts.append(int(digits))
    return tuple(parts) if len(parts) == 2 else (99,)


def _libc(interpreter: str, needed: tuple[str, ...], kind: str) -> str:
    """Which C library the loader will bind: "static" only for an executable that needs none."""
    names = [interpreter.rsplit("/", 1)[-1], *needed]
    if any(name.startswith(("ld-musl", "libc.musl")) for name in names):
        return "musl"
    if any(name.startswith(("ld-linux", "ld64.so")) or name == "libc.so.6" for name in names):
        return "glibc"
    if not interpreter and not needed and kind == "executable":
        return "static"
    return ""
