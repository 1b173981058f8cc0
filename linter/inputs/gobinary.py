"""Go ELF executables and ``-buildmode=plugin`` shared objects: what a KrakenD load check needs.

``read_go_binary(buffer, path)`` reads a KrakenD binary or a built plugin ``.so`` (bytes or an
mmap) and returns a frozen ``GoBinary``: ELF class, machine, Go architecture, kind, interpreter,
libc, ``DT_NEEDED``, the Go build info, the per-package link hashes and, for a plugin, its plugin
path and exported names. Bad input never raises; it becomes a ``Problem``.

## Where the facts live (checked on real builds with Go 1.22, 1.23 and 1.24, linux/amd64)

- **Build info**: the ``.go.buildinfo`` section (or, without section headers, the first 16-aligned
  ``\\xff Go buildinf:`` in a writable ``PT_LOAD``) starts with the 14-byte magic, a pointer size
  byte and a flags byte. With ``flags & 2`` (Go 1.18+) the Go version and the module info follow
  at offset 32 as uvarint-length-prefixed strings. Otherwise (Go 1.13-1.17) two pointers at offset
  16 (their size from the header, big endian when ``flags & 1``) lead to Go string headers (data
  pointer, length) holding ``runtime.buildVersion`` and ``runtime.modinfo``. The module info is
  framed by 16 sentinel bytes at each end (a newline precedes the closing one); inside are
  tab-separated lines ``path``, ``mod``, ``dep``, ``=>`` (replacement of the line before, followed
  by an empty line, as ``BuildInfo.String`` writes it) and ``build key=value``, where keys and
  values with spaces, tabs, newlines or quotes are Go-quoted. ``-trimpath`` builds leave
  ``-ldflags`` and the ``CGO_*`` flags out.
- **Package link hashes**: an executable that imports ``plugin`` and every plugin define, for each
  linked package, ``go:link.pkghashbytes.<pkg>`` (the 8-byte link fingerprint, in ``.rodata`` /
  ``.noptrdata``) and ``go:link.pkghash.<pkg>`` (a Go string header pointing at those bytes; in a
  ``.so`` its pointer is 0 in the file and filled by an ``R_*_64`` relocation against the
  pkghashbytes symbol). All are global dynamic symbols in ``.dynsym``, so they survive
  ``-ldflags "-s -w"``. ``<pkg>`` is the plain import path (``example.com/my.plug``). The plugin
  loader compares the plugin's recorded fingerprints with the host's ``go:link.pkghash.<pkg>``
  (resolved to the host's copy) and refuses the plugin on the first difference ("plugin was built
  with a different version of package internal/goarch" between 1.23 and 1.24; a host and a plugin
  that differ only in ``-trimpath`` differ there too). Between releases further apart (1.22 and
  1.23/1.24) the host dies first with "fatal error: runtime: no plugin module data".
- **Plugin path**: the local symbol ``go:link.thispluginpath`` (``.symtab`` only) holds it. It is
  the main package's import path escaped the way the linker prefixes symbols (a ``.`` after the
  last ``/``, ``%``, ``"``, spaces, control and non-ASCII bytes become ``%xx``:
  ``example.com/my%2eplug``), or ``plugin/unnamed-<sha1>`` when built from file arguments (build
  info ``path`` is then ``command-line-arguments``). Without ``.symtab`` it is recovered from the
  build info ``path`` (confirmed by its pkghash symbol) or from a ``plugin/unnamed-`` pkghash.
- **Exported names** (what ``plugin.Lookup`` finds): the linker writes ``go:plugin.tabs`` (local,
  ``.symtab`` only), an array of ``{nameOff int32, typeOff int32}``; ``nameOff`` is relative to
  ``runtime.types`` and points at an ``abi.Name`` (flag byte, uvarint length, bytes; a 2-byte
  big-endian length before Go 1.17). It lists exactly the exported package-level functions and
  variables of the plugin's main package. Every such name is also a global ``.dynsym`` symbol
  ``<pluginpath>.<Name>`` (a FUNC or an OBJECT), which is what a stripped plugin still has; methods
  (``<pluginpath>.T.M``), closures and ``..inittask`` have further dots and are not exports.
  ``exported_symbols_source`` says which of the two was read.

## Speed
pyelftools' structs decode the ELF, section and program headers; symbol tables are not
iterated through pyelftools (a KrakenD binary has ~10^5 symbols). Names are found with
``bytes.find`` in the string table and matched to entries through an ``array`` of ``st_name``
values, so only matching entries are decoded. ``.symtab`` is only searched for plugins (for the
plugin path and ``go:plugin.tabs``) or when ``.dynsym`` has no link hashes.
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, cast

from elftools.elf.elffile import ELFFile

from linter.model import Location, Problem

Buffer = bytes | bytearray | mmap.mmap

BUILDINFO_MAGIC = b"\xff Go buildinf:"
_SENTINEL = 16  # bytes of framing at each end of the module info
_MAX_STRING = 64 * 1024 * 1024  # no version or module info string is anywhere near this
_PKGHASHBYTES = "go:link.pkghashbytes."
_PKGHASH = "go:link.pkghash."
_PLUGIN_PATH_SYMBOL = "go:link.thispluginpath"
_PTAB_SYMBOL = "go:plugin.tabs"
_TYPES_SYMBOL = "runtime.types"
_UNNAMED_PLUGIN = "plugin/unnamed-"
_DF_1_PIE = 0x08000000
_DT_NEEDED, _DT_HASH, _DT_STRTAB, _DT_SYMTAB, _DT_STRSZ = 1, 4, 5, 6, 10
_DT_GNU_HASH, _DT_FLAGS_1 = 0x6FFFFEF5, 0x6FFFFFFB
_PF_X, _PF_W = 1, 2

# e_machine -> (uname-style machine, GOARCH); the few that depend on byte order or class are fixed
# up in ``_arch``. LoongArch is missing from pyelftools' enum and arrives as the number 258.
_MACHINES: dict[str | int, tuple[str, str]] = {
    "EM_X86_64": ("x86_64", "amd64"),
    "EM_386": ("i386", "386"),
    "EM_AARCH64": ("aarch64", "arm64"),
    "EM_ARM": ("arm", "arm"),
    "EM_PPC64": ("ppc64", "ppc64"),
    "EM_S390": ("s390x", "s390x"),
    "EM_RISCV": ("riscv64", "riscv64"),
    "EM_MIPS": ("mips", "mips"),
    258: ("loongarch64", "loong64"),
}


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


def open_go_binary(fs_path: Path, display: str) -> GoBinary:
    """Map ``fs_path`` read-only and read it; an unreadable file is a ``Problem``, not an error."""
    try:
        with fs_path.open("rb") as handle:
            if fs_path.stat().st_size == 0:
                return read_go_binary(b"", display)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return read_go_binary(mapped, display)
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        return GoBinary(path=display, problems=(_problem(display, f"cannot read {display}: {reason}"),))


def read_go_binary(buffer: Buffer, path: str) -> GoBinary:
    """Read a Go ELF executable or shared object from ``buffer`` (bytes or an mmap)."""
    reader = _Reader(buffer, path)
    try:
        return reader.read()
    except Exception as err:  # a last guard: an unforeseen corruption must not stop the lint
        reader.problem(f"{path} could not be read as an ELF file: {type(err).__name__}: {err}")
        return GoBinary(path=path, problems=tuple(reader.problems))


def _problem(path: str, message: str, kind: str = "unparsable") -> Problem:
    return Problem(Location(path), message, kind)


# ---------------------------------------------------------------------------------------------
# Module info text


def parse_modinfo(text: str) -> ModInfo:
    """Parse the module info lines as ``runtime/debug.ParseBuildInfo`` does, keeping bad lines out."""
    package_path = ""
    main: list[Any] | None = None
    deps: list[list[Any]] = []
    settings: dict[str, str] = {}
    errors: list[str] = []
    last: list[Any] | None = None  # [path, version, sum, replace] of the line a "=>" may follow
    for number, line in enumerate(text.split("\n"), start=1):
        word, _, rest = line.partition("\t")
        if not line:
            continue
        if word == "path":
            package_path = rest
        elif word in ("mod", "dep"):
            columns = rest.split("\t")
            if len(columns) not in (2, 3):
                errors.append(f"line {number}: expected 2 or 3 columns after {word!r}, got {len(columns)}")
                last = None
                continue
            last = [columns[0], columns[1], columns[2] if len(columns) == 3 else "", None]
            if word == "mod":
                main = last
            else:
                deps.append(last)
        elif word == "=>":
            columns = rest.split("\t")
            if len(columns) != 3 or last is None or last[3] is not None:
                errors.append(f"line {number}: replacement {rest!r} does not follow a module line")
                continue
            last[3] = Module(columns[0], columns[1], columns[2])
            last = None
        elif word == "build":
            setting = _parse_setting(rest)
            if isinstance(setting, str):
                errors.append(f"line {number}: {setting}")
            else:
                settings[setting[0]] = setting[1]
        elif word != "go":  # "go\t<version>" is what BuildInfo.String adds; the version is read apart
            errors.append(f"line {number}: unexpected line {line[:80]!r}")
    return ModInfo(
        package_path=package_path,
        main_module=_module(main) if main else None,
        deps=tuple(_module(dep) for dep in deps),
        settings=MappingProxyType(settings),
        errors=tuple(errors),
    )


def _module(fields: list[Any]) -> Module:
    return Module(fields[0], fields[1], fields[2], fields[3])


def _parse_setting(text: str) -> tuple[str, str] | str:
    """``key=value`` of a build line; either side may be Go-quoted. A string is an error."""
    if not text:
        return "build line missing '='"
    if text[0] == "=":
        return "build line with missing key"
    if text[0] in "\"`":
        raw_key = _quoted_prefix(text)
        key = _go_unquote(raw_key) if raw_key else None
        if key is None or raw_key is None:
            return f"build line with a badly quoted key: {text[:80]!r}"
        rest = text[len(raw_key):]
        if not rest.startswith("="):
            return f"build line missing '=' after the key {key!r}"
        raw_value = rest[1:]
    else:
        key, sep, raw_value = text.partition("=")
        if not sep:
            return f"build line missing '=': {text[:80]!r}"
    if raw_value[:1] in ('"', "`"):
        value = _go_unquote(raw_value)
        if value is None:
            return f"build setting {key!r} has a badly quoted value: {raw_value[:80]!r}"
        return key, value
    return key, raw_value


def _quoted_prefix(text: str) -> str | None:
    """The Go string literal at the start of ``text`` (quotes included), if it is closed."""
    if text[0] == "`":
        end = text.find("`", 1)
        return text[: end + 1] if end > 0 else None
    index = 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return text[: index + 1]
        index += 1
    return None


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def _go_unquote(raw: str) -> str | None:
    """Go's ``strconv.Unquote`` for the two literal forms cmd/go writes; ``None`` when invalid."""
    if len(raw) < 2 or raw[0] != raw[-1] or raw[0] not in "\"`":
        return None
    inner = raw[1:-1]
    if raw[0] == "`":
        return None if "`" in inner else inner.replace("\r", "")
    out = bytearray()
    index = 0
    while index < len(inner):
        char = inner[index]
        if char in "\"\n":
            return None
        if char != "\\":
            out += char.encode("utf-8", "surrogatepass")
            index += 1
            continue
        decoded = _escape(inner, index + 1)
        if decoded is None:
            return None
        out += decoded[0]
        index = decoded[1]
    return out.decode("utf-8", errors="replace")


def _escape(inner: str, index: int) -> tuple[bytes, int] | None:
    """The bytes of the escape whose letter is at ``inner[index]`` and the index after it."""
    letter = inner[index : index + 1]
    if letter in _SIMPLE_ESCAPES:
        return bytes([_SIMPLE_ESCAPES[letter]]), index + 1
    if letter in _HEX_WIDTH:
        digits = inner[index + 1 : index + 1 + _HEX_WIDTH[letter]]
        if len(digits) != _HEX_WIDTH[letter] or any(c not in "0123456789abcdefABCDEF" for c in digits):
            return None
        value = int(digits, 16)
        if letter == "x":
            return bytes([value]), index + 3
        if value > 0x10FFFF or 0xD800 <= value < 0xE000:
            return None
        return chr(value).encode("utf-8"), index + 1 + len(digits)
    digits = inner[index : index + 3]
    if len(digits) == 3 and all(c in "01234567" for c in digits) and int(digits, 8) < 256:
        return bytes([int(digits, 8)]), index + 3
    return None


def symbol_prefix(import_path: str) -> str:
    """An import path as the linker writes it in symbol names (cmd/internal/objabi.PathToPrefix)."""
    slash = import_path.rfind("/")
    out = []
    for index, byte in enumerate(import_path.encode("utf-8")):
        if byte <= 0x20 or byte >= 0x7F or byte in b'%"' or (byte == 0x2E and index > slash):
            out.append(f"%{byte:02x}")
        else:
            out.append(chr(byte))
    return "".join(out)


def _uvarint(data: bytes, pos: int) -> tuple[int, int] | None:
    """A Go ``binary.Uvarint`` at ``pos``: (value, next position) or None if cut or too long."""
    value = shift = 0
    for index in range(pos, min(pos + 10, len(data))):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index + 1
        shift += 7
    return None


def _is_exported_identifier(name: str) -> bool:
    """An exported Go identifier: an upper-case letter, then letters, digits or underscores."""
    return bool(name) and name[0].isupper() and all(c == "_" or c.isalnum() for c in name)


# ---------------------------------------------------------------------------------------------
# ELF reading


class _Stream:
    """A read-only file over bytes or an mmap for pyelftools, copying only what is read."""

    def __init__(self, buffer: Buffer) -> None:
        self._buffer = buffer
        self._size = len(buffer)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        data = bytes(self._buffer[self._pos : end]) if end > self._pos else b""
        self._pos = max(self._pos, end)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, self._size)[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


@dataclass(frozen=True)
class _Section:
    name: str
    type: str
    addr: int
    offset: int
    size: int
    entsize: int
    link: int
    flags: int


@dataclass(frozen=True)
class _Load:
    vaddr: int
    memsz: int
    offset: int
    filesz: int
    flags: int


@dataclass(frozen=True)
class _Symbol:
    name: str
    value: int
    size: int
    shndx: int
    kind: int  # STT_*: 1 object, 2 func


@dataclass(frozen=True)
class _SymbolTable:
    label: str
    entries: bytes
    strings: bytes


@dataclass
class _BuildInfo:
    version: str = ""
    modinfo: str = ""
    format: str = ""


# Magic numbers of the executable formats of other systems (a plugin built on a Mac, or on Windows).
_MACH_O = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def _foreign_format(head: bytes) -> str:
    if head[:4] in _MACH_O:
        return "Mach-O"
    return "PE" if head[:2] == b"MZ" else ""


class _Reader:
    """One file's reading state; every step appends its own problems and never raises on bad data."""

    def __init__(self, buffer: Buffer, path: str) -> None:
        self.buffer = buffer
        self.path = path
        self.size = len(buffer)
        self.problems: list[Problem] = []
        self.foreign = ""
        self.elf: ELFFile | None = None
        self.little = True
        self.is64 = True
        self.sections: list[_Section] = []
        self.loads: list[_Load] = []
        self.segments: dict[str, Any] = {}  # PT_DYNAMIC and PT_INTERP headers
        self._dynsym: _SymbolTable | None = None
        self._relocations: list[tuple[array[int], int]] | None = None

    def problem(self, message: str, kind: str = "unparsable") -> None:
        self.problems.append(_problem(self.path, message, kind))

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

    def _open(self) -> bool:
        head = bytes(self.buffer[:16])
        if not head:
            self.problem(f"{self.path} is not an ELF file: it is empty")
            return False
        if head[:4] != b"\x7fELF":
            self.foreign = _foreign_format(head)
            if not self.foreign:  # a macOS or Windows build is not unreadable: KP305 names it
                self.problem(f"{self.path} is not an ELF file: it starts with {head[:8]!r}")
            return False
        if len(head) < 16 or head[4] not in (1, 2) or head[5] not in (1, 2):
            self.problem(f"{self.path} is truncated or corrupt: the ELF identification bytes are invalid")
            return False
        header_size = 64 if head[4] == 2 else 52
        if self.size < header_size:
            self.problem(f"{self.path} is truncated: {self.size} bytes, shorter than an ELF header")
            return False
        try:
            self.elf = ELFFile(cast("IO[bytes]", _Stream(self.buffer)))
        except Exception as err:
            self.problem(f"{self.path} has a corrupt ELF header: {err}")
            return False
        self.little = self.elf.little_endian
        self.is64 = self.elf.elfclass == 64
        if self.elf["e_type"] not in ("ET_EXEC", "ET_DYN"):
            self.problem(f"{self.path} is an ELF {self.elf['e_type']} file, not an executable or shared object")
        return True

    def _read_sections(self) -> None:
        """Section headers through pyelftools' structs (building Section objects would parse
        every hash table, ~0.3 s on a large binary)."""
        assert self.elf is not None
        try:
            count, shoff, entsize = self.elf.num_sections(), self.elf["e_shoff"], self.elf["e_shentsize"]
            layout = self.elf.structs.Elf_Shdr
            if count and shoff + (count - 1) * entsize + layout.sizeof() > self.size:
                return  # a cut file: _check_extent says so, and the segments still hold the rest
            headers = []
            for index in range(count):
                raw = self._at(shoff + index * entsize, layout.sizeof())
                if raw is None:
                    raise ValueError("the section header table runs past the end of the file")
                headers.append(layout.parse(raw))
            names = headers[self.elf.get_shstrndx()] if headers else None
            table = (self._at(names["sh_offset"], names["sh_size"]) or b"") if names else b""
            for header in headers:
                end = table.find(b"\0", header["sh_name"])
                name = table[header["sh_name"] : end if end >= 0 else len(table)].decode("utf-8", "replace")
                self.sections.append(_Section(
                    name, str(header["sh_type"]), header["sh_addr"], header["sh_offset"],
                    header["sh_size"], header["sh_entsize"], header["sh_link"], header["sh_flags"],
                ))
        except Exception as err:
            self.sections = []
            self.problem(f"{self.path} has unreadable section headers ({err}); reading it through its segments")

    def _read_segments(self) -> None:
        assert self.elf is not None
        try:
            layout = self.elf.structs.Elf_Phdr
            phoff, entsize = self.elf["e_phoff"], self.elf["e_phentsize"]
            for index in range(self.elf["e_phnum"]):
                raw = self._at(phoff + index * entsize, layout.sizeof())
                if raw is None:
                    raise ValueError("the program header table runs past the end of the file")
                header = layout.parse(raw)
                if header["p_type"] == "PT_LOAD":
                    self.loads.append(_Load(header["p_vaddr"], header["p_memsz"], header["p_offset"],
                                            header["p_filesz"], header["p_flags"]))
                elif header["p_type"] in ("PT_DYNAMIC", "PT_INTERP"):
                    self.segments[header["p_type"]] = header
        except Exception as err:
            self.problem(f"{self.path} has unreadable program headers: {err}")

    def _check_extent(self) -> None:
        """Say once if headers describe data past the end of the file (a cut download or copy)."""
        assert self.elf is not None
        ends = [s.offset + s.size for s in self.sections if s.type != "SHT_NOBITS"]
        ends += [load.offset + load.filesz for load in self.loads]
        if self.elf["e_shnum"]:
            ends.append(self.elf["e_shoff"] + self.elf["e_shnum"] * self.elf["e_shentsize"])
        needed = max(ends, default=0)
        if needed > self.size:
            self.problem(f"{self.path} is truncated: its ELF headers describe {needed} bytes "
                         f"but the file has {self.size}")

    # -- raw access -----------------------------------------------------------------------

    def _at(self, offset: int, size: int) -> bytes | None:
        if offset < 0 or size < 0 or offset + size > self.size:
            return None
        return bytes(self.buffer[offset : offset + size])

    def _file_offset(self, addr: int, size: int) -> int | None:
        """The file offset of ``size`` loaded bytes at virtual address ``addr``, if all are in the file."""
        for load in self.loads:
            if load.vaddr <= addr and addr + size <= load.vaddr + load.filesz:
                return load.offset + (addr - load.vaddr)
        for section in self.sections:  # files without PT_LOAD (never a linked Go program)
            if section.addr and section.type != "SHT_NOBITS" and section.addr <= addr \
                    and addr + size <= section.addr + section.size:
                return section.offset + (addr - section.addr)
        return None

    def _va(self, addr: int, size: int) -> bytes | None:
        offset = self._file_offset(addr, size)
        return None if offset is None else self._at(offset, size)

    def _section(self, name: str) -> _Section | None:
        return next((s for s in self.sections if s.name == name and s.type != "SHT_NOBITS"), None)

    def _unpack(self, fmt: str, data: bytes, offset: int = 0) -> tuple[int, ...]:
        return struct.unpack_from(("<" if self.little else ">") + fmt, data, offset)

    @property
    def _ptr(self) -> str:
        return "Q" if self.is64 else "I"

    # -- ELF facts ------------------------------------------------------------------------

    def _arch(self) -> tuple[str, str]:
        assert self.elf is not None
        raw = self.elf["e_machine"]
        machine, goarch = _MACHINES.get(raw, (str(raw).removeprefix("EM_").lower(), ""))
        if raw == "EM_PPC64" and self.little:
            machine, goarch = "ppc64le", "ppc64le"
        if raw == "EM_MIPS":
            bits = "64" if self.is64 else ""
            machine = f"mips{bits}{'el' if self.little else ''}"
            goarch = f"mips{bits}{'le' if self.little else ''}"
        return machine, goarch

    def _dynamic_facts(self) -> tuple[str, tuple[str, ...], int]:
        """PT_INTERP, DT_NEEDED and DT_FLAGS_1."""
        interpreter = ""
        interp = self.segments.get("PT_INTERP")
        if interp is not None:
            raw = self._at(interp["p_offset"], interp["p_filesz"]) or b""
            interpreter = raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")
        tags = self._dynamic_tags()
        flags_1 = next((value for tag, value in tags if tag == _DT_FLAGS_1), 0)
        strtab = next((value for tag, value in tags if tag == _DT_STRTAB), None)
        strings_at = None if strtab is None else self._file_offset(strtab, 1)
        needed = []
        for tag, value in tags:
            if tag == _DT_NEEDED and strings_at is not None:
                raw = bytes(self.buffer[strings_at + value : strings_at + value + 4096])
                needed.append(raw.split(b"\0", 1)[0].decode("utf-8", errors="replace"))
        return interpreter, tuple(needed), flags_1

    def _dynamic_tags(self) -> list[tuple[int, int]]:
        """(d_tag, d_val) of the PT_DYNAMIC table up to DT_NULL."""
        dynamic = self.segments.get("PT_DYNAMIC")
        if dynamic is None:
            return []
        data = self._at(dynamic["p_offset"], dynamic["p_filesz"])
        if data is None:
            self.problem(f"{self.path}: the dynamic table is outside the file")
            return []
        word = self._ptr
        step = 2 * struct.calcsize(word)
        tags = []
        for offset in range(0, len(data) - step + 1, step):
            tag, value = self._unpack(word * 2, data, offset)
            if tag == 0:
                break
            tags.append((tag, value))
        return tags

    def _kind(self, elf_type: str, interpreter: str, flags_1: int, buildmode: str,
              hashes: Mapping[str, bytes]) -> str:
        if elf_type == "ET_EXEC":
            return "executable"
        if elf_type != "ET_DYN":
            return ""
        if buildmode == "plugin":
            return "plugin"
        if interpreter or flags_1 & _DF_1_PIE or buildmode in ("exe", "pie"):
            return "executable"
        if not buildmode and hashes:  # no build info: only plugins and plugin hosts carry link hashes
            return "plugin"
        return "shared-object"

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
        except _CorruptError as err:
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
            if load.flags & (_PF_W | _PF_X) != _PF_W:
                continue
            data = bytes(self.buffer[load.offset : min(self.size, load.offset + load.filesz)])
            pos = _aligned_find(data, BUILDINFO_MAGIC, load.vaddr)
            if pos >= 0:
                return data[pos:], f"address {load.vaddr + pos:#x}"
        return None

    def _decode_buildinfo(self, blob: bytes) -> _BuildInfo:
        if len(blob) < 32:
            raise _CorruptError(f"the header is cut short ({len(blob)} of 32 bytes)")
        ptr_size, flags = blob[14], blob[15]
        if flags & 2:
            version, pos = _varint_string(blob, 32, "Go version")
            modinfo, _ = _varint_string(blob, pos, "module info")
            fmt = "inline"
        else:
            if ptr_size not in (4, 8):
                raise _CorruptError(f"pointer size {ptr_size} is neither 4 nor 8")
            code = ">" if flags & 1 else "<"
            code += "Q" if ptr_size == 8 else "I"
            version_ptr = struct.unpack_from(code, blob, 16)[0]
            modinfo_ptr = struct.unpack_from(code, blob, 16 + ptr_size)[0]
            version = self._go_string(version_ptr, code, "Go version")
            modinfo = self._go_string(modinfo_ptr, code, "module info")
            fmt = "pointer"
        if not version:
            raise _CorruptError("the Go version string is empty")
        text = version.decode("utf-8", errors="replace")
        if len(modinfo) >= 2 * _SENTINEL + 1 and modinfo[-_SENTINEL - 1] == 0x0A:
            modinfo = modinfo[_SENTINEL:-_SENTINEL]
        else:
            modinfo = b""  # no module info (GOPATH mode) or not framed as cmd/go writes it
        return _BuildInfo(text, modinfo.decode("utf-8", errors="replace"), fmt)

    def _go_string(self, header_addr: int, code: str, what: str) -> bytes:
        """The bytes of the Go string whose header (data pointer, length) is at ``header_addr``."""
        width = struct.calcsize(code)
        header = self._va(header_addr, 2 * width)
        if header is None:
            raise _CorruptError(f"the {what} string header at {header_addr:#x} is outside the file")
        data_ptr = self._pointer(header_addr, struct.unpack_from(code, header, 0)[0])
        length = struct.unpack_from(code, header, width)[0]
        if length > _MAX_STRING:
            raise _CorruptError(f"the {what} string claims {length} bytes")
        data = self._va(data_ptr, length) if length else b""
        if data is None:
            raise _CorruptError(f"the {what} string at {data_ptr:#x} ({length} bytes) is outside the file")
        return data

    def _pointer(self, where: int, raw: int) -> int:
        """A pointer stored at ``where``: its in-file value, or what a dynamic relocation puts there."""
        return raw or self._relocated(where)

    def _relocated(self, where: int) -> int:
        """The value a REL/RELA relocation of a dynamic section stores at ``where`` (load base 0).

        Data pointers in Go shared objects are RELATIVE (value = addend) or absolute relocations
        against a symbol (value = symbol + addend). Entries are searched as arrays of words, so a
        large PIE's half a million relocations cost no Python loop.
        """
        for words, step in self._relocation_tables():
            try:
                index = words[::step].index(where) * step
            except ValueError:
                continue
            info = words[index + 1]
            addend = words[index + 2] if step == 3 else 0
            bits = 8 * words.itemsize
            addend -= (addend >> (bits - 1)) << bits  # r_addend is signed
            sym = info >> 32 if self.is64 else info >> 8
            dynsym = self._dynsym_table()
            entries = self._symbol_entries(dynsym, [sym]) if sym and dynsym is not None else []
            return addend + (entries[0].value if entries else 0)
        return 0

    def _relocation_tables(self) -> list[tuple[array[int], int]]:
        """Each SHT_RELA/SHT_REL section as an array of words and its entry size in words."""
        if self._relocations is None:
            self._relocations = []
            for section in self.sections:
                if section.type not in ("SHT_RELA", "SHT_REL"):
                    continue
                words = array("Q" if self.is64 else "I")
                data = self._at(section.offset, section.size) or b""
                words.frombytes(data[: len(data) - len(data) % words.itemsize])
                if (sys.byteorder == "little") != self.little:
                    words.byteswap()
                self._relocations.append((words, 3 if section.type == "SHT_RELA" else 2))
        return self._relocations

    # -- symbols --------------------------------------------------------------------------

    @property
    def _entsize(self) -> int:
        return 24 if self.is64 else 16

    def _dynsym_table(self) -> _SymbolTable | None:
        if self._dynsym is None:
            self._dynsym = self._table("SHT_DYNSYM") or self._dynamic_table()
        return self._dynsym

    def _table(self, sh_type: str) -> _SymbolTable | None:
        section = next((s for s in self.sections if s.type == sh_type), None)
        if section is None or not 0 <= section.link < len(self.sections):
            return None
        strings = self.sections[section.link]
        entries = self._at(section.offset, section.size)
        names = self._at(strings.offset, strings.size)
        if entries is None or names is None:
            return None
        return _SymbolTable(".dynsym" if sh_type == "SHT_DYNSYM" else ".symtab", entries, names)

    def _dynamic_table(self) -> _SymbolTable | None:
        """``.dynsym`` found through DT_SYMTAB/DT_STRTAB when section headers are gone."""
        if self.sections:
            return None
        tags = dict(self._dynamic_tags())
        symtab = self._file_offset(tags.get(_DT_SYMTAB, 0), 1) if _DT_SYMTAB in tags else None
        strtab = self._file_offset(tags.get(_DT_STRTAB, 0), 1) if _DT_STRTAB in tags else None
        if symtab is None or strtab is None:
            return None
        count = self._dynsym_count(tags)
        entries = self._at(symtab, count * self._entsize)
        names = self._at(strtab, tags.get(_DT_STRSZ, 0))
        if entries is None or names is None:
            self.problem(f"{self.path}: the dynamic symbol table is outside the file")
            return None
        return _SymbolTable(".dynsym", entries, names)

    def _dynsym_count(self, tags: dict[int, int]) -> int:
        """Entries in DT_SYMTAB: DT_HASH's nchain, else the end of DT_GNU_HASH's last chain."""
        hash_at = self._file_offset(tags[_DT_HASH], 8) if _DT_HASH in tags else None
        if hash_at is not None:
            return self._unpack("II", self._at(hash_at, 8) or bytes(8))[1]
        gnu_at = self._file_offset(tags[_DT_GNU_HASH], 16) if _DT_GNU_HASH in tags else None
        if gnu_at is None:
            return 0
        nbuckets, symoffset, bloom_size, _ = self._unpack("IIII", self._at(gnu_at, 16) or bytes(16))
        buckets_at = gnu_at + 16 + bloom_size * struct.calcsize(self._ptr)
        buckets = self._at(buckets_at, 4 * nbuckets) or b""
        last = max(self._unpack(f"{len(buckets) // 4}I", buckets), default=0)
        if last < symoffset:
            return symoffset
        chain_at = buckets_at + len(buckets) + 4 * (last - symoffset)
        while (word := self._at(chain_at, 4)) is not None and not self._unpack("I", word)[0] & 1:
            last, chain_at = last + 1, chain_at + 4
        return last + 1

    def _find(self, table: _SymbolTable, prefixes: Iterable[str]) -> list[_Symbol]:
        """Defined symbols whose names start with one of ``prefixes``, without decoding the rest."""
        wanted: set[int] = set()
        for prefix in prefixes:
            needle = prefix.encode("utf-8")
            pos = table.strings.find(needle)
            while pos >= 0:
                wanted.add(pos)
                pos = table.strings.find(needle, pos + 1)
        if not wanted:
            return []
        names = array("I")
        usable = len(table.entries) - len(table.entries) % self._entsize
        names.frombytes(table.entries[:usable])
        if (sys.byteorder == "little") != self.little:
            names.byteswap()
        st_names = names[:: self._entsize // 4]  # st_name is the first word of both layouts
        indexes = [index for index, name in enumerate(st_names) if name in wanted]
        return [symbol for symbol in self._symbol_entries(table, indexes) if symbol.shndx != 0]

    def _symbol_entries(self, table: _SymbolTable, indexes: Iterable[int]) -> list[_Symbol]:
        found = []
        for index in indexes:
            offset = index * self._entsize
            if offset + self._entsize > len(table.entries):
                continue
            if self.is64:
                st_name, info, _, shndx, value, size = self._unpack("IBBHQQ", table.entries, offset)
            else:
                st_name, value, size, info, _, shndx = self._unpack("IIIBBH", table.entries, offset)
            end = table.strings.find(b"\0", st_name)
            name = table.strings[st_name : end if end >= 0 else len(table.strings)]
            found.append(_Symbol(name.decode("utf-8", errors="replace"), value, size, shndx, info & 0xF))
        return found

    def _package_hashes(self, scan_symtab: bool) -> dict[str, bytes]:
        """``go:link.pkghashbytes.<pkg>`` bytes by package, from .dynsym (and .symtab when useful)."""
        assert self.elf is not None
        hashes: dict[str, bytes] = {}
        strings: dict[str, _Symbol] = {}
        dynsym = self._dynsym_table()
        if dynsym is not None:
            self._collect_hashes(dynsym, hashes, strings)
        if not hashes or scan_symtab:  # a plugin's .symtab is small; an executable's may not be
            symtab = self._table("SHT_SYMTAB")
            if symtab is not None:
                self._collect_hashes(symtab, hashes, strings)
        for package, symbol in strings.items():
            if package not in hashes:  # only a string header: follow its pointer
                data = self._string_symbol(symbol)
                if data is not None:
                    hashes[package] = data
        return dict(sorted(hashes.items()))

    def _collect_hashes(self, table: _SymbolTable, hashes: dict[str, bytes], strings: dict[str, _Symbol]) -> None:
        for symbol in self._find(table, (_PKGHASHBYTES, _PKGHASH)):
            if symbol.name.startswith(_PKGHASHBYTES):
                package = symbol.name[len(_PKGHASHBYTES):]
                if package in hashes:
                    continue
                data = self._va(symbol.value, symbol.size)
                if data is None:
                    self.problem(f"{self.path}: symbol {symbol.name} in {table.label} points outside the file")
                    continue
                hashes[package] = data
            elif symbol.name.startswith(_PKGHASH):
                strings.setdefault(symbol.name[len(_PKGHASH):], symbol)

    def _string_symbol(self, symbol: _Symbol) -> bytes | None:
        code = ("<" if self.little else ">") + self._ptr
        try:
            return self._go_string(symbol.value, code, symbol.name)
        except _CorruptError as err:
            self.problem(f"{self.path}: {err}")
            return None

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
            if symbol.name.startswith(prefix) and symbol.kind in (1, 2) and _is_exported_identifier(name):
                names.add(name)
        return frozenset(names), "dynsym"

    def _ptab_names(self, symtab: _SymbolTable, version: str) -> list[str] | None:
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
            decoded = _uvarint(head, 1)
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


class _CorruptError(Exception):
    """Build info that does not decode."""


def _aligned_find(data: bytes, needle: bytes, base_addr: int) -> int:
    """The first offset of ``needle`` in ``data`` whose address ``base_addr + offset`` is 16-aligned."""
    pos = data.find(needle)
    while pos >= 0 and (base_addr + pos) % 16:
        pos = data.find(needle, pos + 1)
    return pos


def _varint_string(blob: bytes, pos: int, what: str) -> tuple[bytes, int]:
    decoded = _uvarint(blob, pos)
    if decoded is None:
        raise _CorruptError(f"the {what} length at offset {pos} is cut short or overlong")
    length, start = decoded
    if start + length > len(blob):
        raise _CorruptError(f"the {what} ({length} bytes at offset {start}) runs past the end of the build info")
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
