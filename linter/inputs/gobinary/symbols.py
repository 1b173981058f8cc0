"""Symbol tables, relocations and Go strings: found by name without decoding every entry."""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterable

from linter.inputs.gobinary.elf import (
    DT_GNU_HASH,
    DT_HASH,
    DT_STRSZ,
    DT_STRTAB,
    DT_SYMTAB,
    ElfFile,
    Symbol,
    SymbolTable,
)

_MAX_STRING = 64 * 1024 * 1024  # no version or module info string is anywhere near this
_PKGHASHBYTES = "go:link.pkghashbytes."
_PKGHASH = "go:link.pkghash."


class CorruptError(Exception):
    """Build info that does not decode."""


class Symbols(ElfFile):
    """Symbols and the data they point at."""

    def _go_string(self, header_addr: int, code: str, what: str) -> bytes:
        """The bytes of the Go string whose header (data pointer, length) is at ``header_addr``."""
        width = struct.calcsize(code)
        header = self._va(header_addr, 2 * width)
        if header is None:
            raise CorruptError(f"the {what} string header at {header_addr:#x} is outside the file")
        data_ptr = self._pointer(header_addr, struct.unpack_from(code, header, 0)[0])
        length = struct.unpack_from(code, header, width)[0]
        if length > _MAX_STRING:
            raise CorruptError(f"the {what} string claims {length} bytes")
        data = self._va(data_ptr, length) if length else b""
        if data is None:
            raise CorruptError(f"the {what} string at {data_ptr:#x} ({length} bytes) is outside the file")
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

    def _dynsym_table(self) -> SymbolTable | None:
        if self._dynsym is None:
            self._dynsym = self._table("SHT_DYNSYM") or self._dynamic_table()
        return self._dynsym

    def _table(self, sh_type: str) -> SymbolTable | None:
        section = next((s for s in self.sections if s.type == sh_type), None)
        if section is None or not 0 <= section.link < len(self.sections):
            return None
        strings = self.sections[section.link]
        entries = self._at(section.offset, section.size)
        names = self._at(strings.offset, strings.size)
        if entries is None or names is None:
            return None
        return SymbolTable(".dynsym" if sh_type == "SHT_DYNSYM" else ".symtab", entries, names)

    def _dynamic_table(self) -> SymbolTable | None:
        """``.dynsym`` found through DT_SYMTAB/DT_STRTAB when section headers are gone."""
        if self.sections:
            return None
        tags = dict(self._dynamic_tags())
        symtab = self._file_offset(tags.get(DT_SYMTAB, 0), 1) if DT_SYMTAB in tags else None
        strtab = self._file_offset(tags.get(DT_STRTAB, 0), 1) if DT_STRTAB in tags else None
        if symtab is None or strtab is None:
            return None
        count = self._dynsym_count(tags)
        entries = self._at(symtab, count * self._entsize)
        names = self._at(strtab, tags.get(DT_STRSZ, 0))
        if entries is None or names is None:
            self.problem(f"{self.path}: the dynamic symbol table is outside the file")
            return None
        return SymbolTable(".dynsym", entries, names)

    def _dynsym_count(self, tags: dict[int, int]) -> int:
        """Entries in DT_SYMTAB: DT_HASH's nchain, else the end of DT_GNU_HASH's last chain."""
        hash_at = self._file_offset(tags[DT_HASH], 8) if DT_HASH in tags else None
        if hash_at is not None:
            return self._unpack("II", self._at(hash_at, 8) or bytes(8))[1]
        gnu_at = self._file_offset(tags[DT_GNU_HASH], 16) if DT_GNU_HASH in tags else None
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

    def _find(self, table: SymbolTable, prefixes: Iterable[str]) -> list[Symbol]:
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

    def _symbol_entries(self, table: SymbolTable, indexes: Iterable[int]) -> list[Symbol]:
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
            found.append(Symbol(name.decode("utf-8", errors="replace"), value, size, shndx, info & 0xF))
        return found

    def _package_hashes(self, scan_symtab: bool) -> dict[str, bytes]:
        """``go:link.pkghashbytes.<pkg>`` bytes by package, from .dynsym (and .symtab when useful)."""
        assert self.elf is not None
        hashes: dict[str, bytes] = {}
        strings: dict[str, Symbol] = {}
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

    def _collect_hashes(self, table: SymbolTable, hashes: dict[str, bytes], strings: dict[str, Symbol]) -> None:
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

    def _string_symbol(self, symbol: Symbol) -> bytes | None:
        code = ("<" if self.little else ">") + self._ptr
        try:
            return self._go_string(symbol.value, code, symbol.name)
        except CorruptError as err:
            self.problem(f"{self.path}: {err}")
            return None
