"""A tiny synthetic Go ELF (a plugin-like shared object with inline build info) for fuzzing.

Real Go binaries are megabytes, too large to mutate a few hundred times in the unit suite; this
one has the parts the binary reader walks (ELF header, a PT_LOAD, section headers, a name table
and a ``.go.buildinfo`` section in the Go 1.18+ inline layout) in under a kilobyte.
"""

from __future__ import annotations

import struct

BUILDINFO_MAGIC = b"\xff Go buildinf:"
# The 16-byte markers the Go linker puts around the module info text.
MODINFO_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
MODINFO_END = bytes.fromhex("f932433186182072008242104116d8f2")

MODINFO = (
    "path\texample.com/plugin\n"
    "mod\texample.com/plugin\t(devel)\t\n"
    "dep\tgithub.com/luraproject/lura/v2\tv2.6.0\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    "dep\tgithub.com/old/mod\tv1.0.0\n"
    "=>\tgithub.com/new/mod\tv1.1.0\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n"
    "build\t-buildmode=plugin\n"
    "build\t-compiler=gc\n"
    "build\tCGO_ENABLED=1\n"
    "build\tGOARCH=amd64\n"
    "build\tGOOS=linux\n"
)


def _uvarint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def buildinfo_blob(version: str = "go1.22.10", modinfo: str = MODINFO) -> bytes:
    """The ``.go.buildinfo`` contents: magic, pointer size 8, flags (inline strings), padding, strings."""
    head = BUILDINFO_MAGIC + bytes([8, 0x02]) + bytes(16)
    info = MODINFO_START + modinfo.encode() + MODINFO_END
    return head + _uvarint(len(version)) + version.encode() + _uvarint(len(info)) + info


def _section_header(name: int, kind: int, flags: int, addr: int, offset: int, size: int, align: int) -> bytes:
    return struct.pack("<IIQQQQIIQQ", name, kind, flags, addr, offset, size, 0, 0, align, 0)


def go_plugin_elf(version: str = "go1.22.10", modinfo: str = MODINFO) -> bytes:
    """A little-endian ELF64 ET_DYN for x86-64 whose only content is its Go build info."""
    names = b"\0.go.buildinfo\0.shstrtab\0"
    blob = buildinfo_blob(version, modinfo)
    data_offset = 64 + 56
    data_offset += -data_offset % 16
    names_offset = data_offset + len(blob)
    shoff = names_offset + len(names)
    shoff += -shoff % 8
    base = 0x400000
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header += struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 64, shoff, 0, 64, 56, 1, 64, 3, 2)
    load = struct.pack("<IIQQQQQQ", 1, 4, 0, base, base, shoff, shoff, 0x1000)
    body = bytearray(header + load)
    body += bytes(data_offset - len(body)) + blob + names
    body += bytes(shoff - len(body))
    body += bytes(64)  # the null section
    body += _section_header(1, 1, 2, base + data_offset, data_offset, len(blob), 16)  # PROGBITS, ALLOC
    body += _section_header(15, 3, 0, 0, names_offset, len(names), 1)  # STRTAB
    return bytes(body)
