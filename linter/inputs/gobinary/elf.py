"""ELF headers, sections, segments and the dynamic table, read through pyelftools' structs."""

from __future__ import annotations

import struct
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any, cast

from elftools.elf.elffile import ELFFile

from linter.inputs.gobinary.model import Buffer, problem
from linter.model import Problem

_DF_1_PIE = 0x08000000
DT_NEEDED, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ = 1, 4, 5, 6, 10
DT_GNU_HASH, DT_FLAGS_1 = 0x6FFFFEF5, 0x6FFFFFFB
PF_X, PF_W = 1, 2

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
class Section:
    name: str
    type: str
    addr: int
    offset: int
    size: int
    entsize: int
    link: int
    flags: int


@dataclass(frozen=True)
class Load:
    vaddr: int
    offset: int
    filesz: int
    flags: int


@dataclass(frozen=True)
class Symbol:
    name: str
    value: int
    size: int
    shndx: int
    kind: int  # STT_*: 1 object, 2 func


@dataclass(frozen=True)
class SymbolTable:
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


class ElfFile:
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
        self.sections: list[Section] = []
        self.loads: list[Load] = []
        self.segments: dict[str, Any] = {}  # PT_DYNAMIC and PT_INTERP headers
        self._dynsym: SymbolTable | None = None
        self._relocations: list[tuple[array[int], int]] | None = None

    def problem(self, message: str, kind: str = "unparsable") -> None:
        self.problems.append(problem(self.path, message, kind))


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
                self.sections.append(Section(
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
                    self.loads.append(Load(header["p_vaddr"], header["p_offset"],
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

    def _section(self, name: str) -> Section | None:
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
        flags_1 = next((value for tag, value in tags if tag == DT_FLAGS_1), 0)
        strtab = next((value for tag, value in tags if tag == DT_STRTAB), None)
        strings_at = None if strtab is None else self._file_offset(strtab, 1)
        needed = []
        for tag, value in tags:
            if tag == DT_NEEDED and strings_at is not None:
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

