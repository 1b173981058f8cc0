"""linter.inputs.gobinary on real Go builds (three toolchains) and on hand-made ELF files.

The real builds come from ``tests/fixtures/gobinary`` (see its README): a plugin with replaced and
local dependencies, a host that imports ``plugin``, a stripped plugin and a static program. They are
cached under ``.cache/test-builds/gobinary/<go>/<source hash>/`` together with what ``go version -m``
printed, so a warm run starts no compiler. Everything the reader returns is checked against Go's
own tools: ``go version -m`` for the build info and the real plugin loader for the link hashes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from linter.inputs.gobinary import (
    BUILDINFO_MAGIC,
    GoBinary,
    Module,
    open_go_binary,
    parse_modinfo,
    read_go_binary,
    symbol_prefix,
)
from tests import gotoolchain

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gobinary"
BUILDS = gotoolchain.REPO / ".cache" / "test-builds" / "gobinary"
TOOLCHAINS = gotoolchain.CI_VERSIONS
FIRST = TOOLCHAINS[0]
PLUGIN_PATH = "example.com/kpl/my%2eplugin"
PLUGIN_EXPORTS = frozenset({"HandlerRegisterer", "ClientRegisterer", "Version"})
RECIPE_VERSION = "1"  # bump to rebuild every cached output


@dataclass(frozen=True)
class Artifact:
    name: str
    module: str  # fixture folder the build runs in
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    package: str = "."
    every_toolchain: bool = True


ARTIFACTS = (
    Artifact("plugin.so", "plugin", ("-buildmode=plugin",)),
    Artifact("host", "host", ("-tags=kpl",)),
    Artifact("plugin-stripped.so", "plugin", ("-buildmode=plugin", "-ldflags=-s -w"), every_toolchain=False),
    Artifact("static", "host", ("-ldflags=-s -w",), (("CGO_ENABLED", "0"),), "./cmd/static", every_toolchain=False),
)


def artifacts_for(version: str) -> tuple[Artifact, ...]:
    return tuple(a for a in ARTIFACTS if a.every_toolchain or version == FIRST)


ALL_BUILT = [(v, a.name) for v in TOOLCHAINS for a in artifacts_for(v)]

# ---------------------------------------------------------------------------------------------
# Building (cached)


def fixture_files() -> dict[str, bytes]:
    return {p.relative_to(FIXTURES).as_posix(): p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.is_file()}


def source_key(version: str) -> str:
    digest = hashlib.sha256(f"{RECIPE_VERSION}\0{version}\0".encode())
    for name, data in fixture_files().items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for artifact in artifacts_for(version):
        digest.update(repr(artifact).encode())
    return digest.hexdigest()[:20]


def write_proxy(modules: Path, proxy: Path) -> None:
    """A GOPROXY folder: ``<module>/@v/list``, ``<v>.info``, ``<v>.mod`` and ``<v>.zip``."""
    versions: dict[str, list[str]] = {}
    for folder in sorted(p for p in modules.rglob("*@*") if p.is_dir()):
        module, version = folder.relative_to(modules).as_posix().rsplit("@", 1)
        versions.setdefault(module, []).append(version)
        target = proxy / module / "@v"
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{version}.info").write_text(json.dumps({"Version": version, "Time": "2024-01-01T00:00:00Z"}))
        (target / f"{version}.mod").write_bytes((folder / "go.mod").read_bytes())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    entry = zipfile.ZipInfo(f"{module}@{version}/{file.relative_to(folder).as_posix()}",
                                            date_time=(2024, 1, 1, 0, 0, 0))
                    archive.writestr(entry, file.read_bytes())
        (target / f"{version}.zip").write_bytes(buffer.getvalue())
    for module, listed in versions.items():
        (proxy / module / "@v" / "list").write_text("".join(f"{v}\n" for v in listed))


def run_go(go: Path, args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(go), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"go {' '.join(args)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return done.stdout


def build(version: str) -> Path:
    """The folder holding this toolchain's outputs and their `go version -m` text, built if missing."""
    out = BUILDS / version / source_key(version)
    if (out / "done").is_file():
        return out
    go = gotoolchain.ensure_go(version)
    work = Path(tempfile.mkdtemp(prefix=f"kpl-gobinary-{version}-"))
    staging = out.with_name(f".{out.name}.{os.getpid()}")
    try:
        shutil.copytree(FIXTURES, work / "src")
        write_proxy(work / "src" / "modules", work / "proxy")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for artifact in artifacts_for(version):
            env = gotoolchain.go_env(version, work, work / "proxy", GOFLAGS="-mod=mod -buildvcs=false -modcacherw",
                                     **dict(artifact.env))
            run_go(go, ["build", *artifact.args, "-o", str(staging / artifact.name), artifact.package],
                   work / "src" / artifact.module, env)
            text = run_go(go, ["version", "-m", artifact.name], staging, env)
            (staging / f"{artifact.name}.version-m.txt").write_text(text)
        gotoolchain.publish_build(staging, out, version)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    return out


@pytest.fixture(scope="session")
def built() -> dict[str, Path]:
    # One toolchain per thread: compiles use both cores, links and cgo steps overlap.
    with ThreadPoolExecutor(max_workers=len(TOOLCHAINS)) as pool:
        return dict(zip(TOOLCHAINS, pool.map(build, TOOLCHAINS), strict=True))


@pytest.fixture(scope="session")
def binaries(built: dict[str, Path]) -> dict[tuple[str, str], GoBinary]:
    found = {}
    for version, name in ALL_BUILT:
        found[version, name] = open_go_binary(built[version] / name, f"builds/{version}/{name}")
    return found


# ---------------------------------------------------------------------------------------------
# What `go version -m` prints, rebuilt from the reader's answer


VALUE_SPECIALS = ' \t\r\n"`'  # what makes cmd/go quote a build setting
KEY_SPECIALS = "=" + VALUE_SPECIALS


def go_quote(text: str, specials: str) -> str:
    return json.dumps(text, ensure_ascii=False) if any(c in text for c in specials) else text


def version_m_lines(binary: GoBinary, name: str) -> list[str]:
    lines = [f"{name}: {binary.go_version_raw}"]
    if binary.package_path:
        lines.append(f"\tpath\t{binary.package_path}")

    def module(word: str, mod: Module) -> None:
        if mod.replace is None:
            lines.append(f"\t{word}\t{mod.path}\t{mod.version}\t{mod.sum}")
        else:
            lines.append(f"\t{word}\t{mod.path}\t{mod.version}")
            module("=>", mod.replace)
            lines.append("\t")  # BuildInfo.String ends a replaced module with an empty line

    if binary.main_module:
        module("mod", binary.main_module)
    for dep in binary.deps:
        module("dep", dep)
    for key, value in binary.settings.items():
        lines.append(f"\tbuild\t{go_quote(key, KEY_SPECIALS)}={go_quote(value, VALUE_SPECIALS)}")
    return lines


@pytest.mark.go
@pytest.mark.parametrize(("version", "name"), ALL_BUILT)
def test_build_info_is_what_go_version_m_prints(built: dict[str, Path], binaries: dict[tuple[str, str], GoBinary],
                                                version: str, name: str) -> None:
    binary = binaries[version, name]
    expected = (built[version] / f"{name}.version-m.txt").read_text().rstrip("\n").split("\n")
    assert version_m_lines(binary, name) == expected
    assert binary.go_version == version
    assert binary.go_version_raw == f"go{version}"
    assert binary.buildinfo_format == "inline"
    assert binary.problems == ()


@pytest.mark.go
def test_dependencies_and_replacements(binaries: dict[tuple[str, str], GoBinary]) -> None:
    plugin = binaries[FIRST, "plugin.so"]
    assert plugin.package_path == "example.com/kpl/my.plugin"
    assert plugin.main_module == Module("example.com/kpl/my.plugin", "(devel)")
    greet = plugin.dep("example.com/kpl/greet")
    assert greet is not None and greet.version == "v1.1.0" and greet.sum == ""
    assert greet.replace is not None
    assert (greet.replace.path, greet.replace.version) == ("example.com/kpl/fork", "v1.2.0")
    assert greet.replace.sum.startswith("h1:")
    local = plugin.dep("example.com/kpl/local")
    assert local == Module("example.com/kpl/local", "v0.0.0", "", Module("../local", "(devel)", ""))
    util = plugin.dep("example.com/kpl/util")
    assert util is not None and util.version == "v0.3.0" and util.sum.startswith("h1:") and util.replace is None
    assert plugin.settings["-buildmode"] == "plugin"
    assert binaries[FIRST, "plugin-stripped.so"].settings["-ldflags"] == "-s -w"
    assert binaries[FIRST, "static"].settings["-ldflags"] == "-s -w"
    assert binaries[FIRST, "host"].settings["-tags"] == "kpl"
    assert binaries[FIRST, "static"].settings["CGO_ENABLED"] == "0"


# ---------------------------------------------------------------------------------------------
# ELF facts

MACHINES = {"amd64": "x86_64", "arm64": "aarch64", "386": "i386", "ppc64le": "ppc64le", "s390x": "s390x",
            "riscv64": "riscv64", "arm": "arm", "loong64": "loongarch64"}


@pytest.mark.go
@pytest.mark.parametrize(("version", "name"), ALL_BUILT)
def test_elf_facts(binaries: dict[tuple[str, str], GoBinary], version: str, name: str) -> None:
    binary = binaries[version, name]
    goarch = binary.settings["GOARCH"]
    assert binary.goarch == goarch
    assert binary.machine == MACHINES[goarch]
    assert binary.elf_class == (32 if goarch in ("386", "arm") else 64)
    assert binary.byte_order == "little"
    if name.endswith(".so"):
        assert (binary.kind, binary.interpreter, binary.libc) == ("plugin", "", "glibc")
        assert "libc.so.6" in binary.needed
    elif name == "host":
        assert binary.kind == "executable"
        assert "ld-linux" in binary.interpreter and binary.interpreter.startswith("/lib")
        assert binary.libc == "glibc"
    else:
        assert (binary.kind, binary.interpreter, binary.needed, binary.libc) == ("executable", "", (), "static")
    assert binary.stripped == (name in ("plugin-stripped.so", "static"))


@pytest.mark.go
@pytest.mark.parametrize("version", TOOLCHAINS)
def test_plugin_path_and_exports(binaries: dict[tuple[str, str], GoBinary], version: str) -> None:
    plugin = binaries[version, "plugin.so"]
    assert plugin.plugin_path == PLUGIN_PATH == symbol_prefix(plugin.package_path)
    assert plugin.exported_symbols == PLUGIN_EXPORTS
    assert plugin.exported_symbols_source == "ptab"
    host = binaries[version, "host"]
    assert (host.plugin_path, host.exported_symbols) == ("", frozenset())


@pytest.mark.go
def test_stripped_plugin_still_has_path_exports_and_hashes(binaries: dict[tuple[str, str], GoBinary]) -> None:
    stripped = binaries[FIRST, "plugin-stripped.so"]
    assert stripped.plugin_path == PLUGIN_PATH
    assert stripped.exported_symbols == PLUGIN_EXPORTS
    assert stripped.exported_symbols_source == "dynsym"
    assert stripped.package_hashes == binaries[FIRST, "plugin.so"].package_hashes  # -s -w changes no hash
    assert stripped.problems == ()


@pytest.mark.go
def test_static_program_has_no_link_hashes(binaries: dict[tuple[str, str], GoBinary]) -> None:
    static = binaries[FIRST, "static"]
    assert static.package_hashes == {}
    assert static.problems == ()


# ---------------------------------------------------------------------------------------------
# Package link hashes against the real loader


@pytest.mark.go
@pytest.mark.parametrize("version", TOOLCHAINS)
def test_host_and_plugin_hashes_agree_with_one_toolchain(binaries: dict[tuple[str, str], GoBinary],
                                                         version: str) -> None:
    host = binaries[version, "host"].package_hashes
    plugin = binaries[version, "plugin.so"].package_hashes
    shared = set(host) & set(plugin)
    assert {"runtime", "strconv", "sync", "example.com/kpl/util"} <= shared
    assert {p: host[p] for p in shared} == {p: plugin[p] for p in shared}
    assert all(len(value) == 8 for value in (*host.values(), *plugin.values()))
    assert "plugin" in host and "example.com/kpl/greet" in plugin and "example.com/kpl/my.plugin" in plugin


@pytest.mark.go
def test_runtime_hash_differs_across_toolchains(binaries: dict[tuple[str, str], GoBinary]) -> None:
    runtime = {v: binaries[v, "plugin.so"].package_hashes["runtime"] for v in TOOLCHAINS}
    assert len(set(runtime.values())) == len(TOOLCHAINS)
    assert {binaries[v, "host"].package_hashes["runtime"] for v in TOOLCHAINS} == set(runtime.values())


def static_verdict(host: GoBinary, plugin: GoBinary) -> set[str]:
    return {p for p, h in plugin.package_hashes.items() if p in host.package_hashes and host.package_hashes[p] != h}


LOAD_PAIRS = [(h, p, "plugin.so") for h in TOOLCHAINS for p in TOOLCHAINS] + [(FIRST, FIRST, "plugin-stripped.so")]


@pytest.mark.go
@pytest.mark.parametrize(("host_version", "plugin_version", "plugin_name"), LOAD_PAIRS)
def test_link_hashes_predict_the_real_loader(built: dict[str, Path], binaries: dict[tuple[str, str], GoBinary],
                                             host_version: str, plugin_version: str, plugin_name: str) -> None:
    plugin_file = built[plugin_version] / plugin_name
    done = subprocess.run([str(built[host_version] / "host"), str(plugin_file)], capture_output=True, text=True,
                          timeout=60, check=False)
    output = done.stdout + done.stderr
    differing = static_verdict(binaries[host_version, "host"], binaries[plugin_version, plugin_name])
    if not differing:
        assert output.strip() == "loaded"
    elif "fatal error: runtime: no plugin module data" in output:
        # A plugin from another Go release can crash the host before the hash check runs.
        assert done.returncode == 2
    else:
        assert "plugin was built with a different version of package" in output
        named = output.split("different version of package ", 1)[1].split()[0].strip('"')
        assert named in differing
    assert (host_version == plugin_version) == (not differing)


# ---------------------------------------------------------------------------------------------
# The same bytes through bytes, mmap and a file without section headers


def read_file(path: Path, name: str = "x") -> GoBinary:
    return read_go_binary(path.read_bytes(), name)


@pytest.mark.go
def test_bytes_and_mmap_give_the_same_answer(built: dict[str, Path]) -> None:
    for name in ("plugin.so", "host"):
        assert read_file(built[FIRST] / name) == open_go_binary(built[FIRST] / name, "x")


def without_section_headers(data: bytes) -> bytes:
    """Zero e_shoff, e_shnum and e_shstrndx, as sstrip-like tools leave a file."""
    patched = bytearray(data)
    patched[0x28:0x30] = bytes(8)  # e_shoff (ELF64)
    patched[0x3C:0x40] = bytes(4)  # e_shnum, e_shstrndx
    return bytes(patched)


@pytest.mark.go
def test_file_without_section_headers_is_read_through_segments(built: dict[str, Path]) -> None:
    full = read_file(built[FIRST] / "plugin.so")
    bare = read_go_binary(without_section_headers((built[FIRST] / "plugin.so").read_bytes()), "bare.so")
    assert bare.problems == ()
    assert (bare.go_version_raw, bare.modinfo, bare.kind) == (full.go_version_raw, full.modinfo, "plugin")
    assert bare.package_hashes == full.package_hashes
    assert bare.plugin_path == PLUGIN_PATH
    assert (bare.exported_symbols, bare.exported_symbols_source) == (PLUGIN_EXPORTS, "dynsym")
    assert bare.stripped


@pytest.mark.go
@pytest.mark.parametrize("name", ["plugin.so", "host"])
def test_link_hashes_from_pkghash_string_headers(built: dict[str, Path], name: str) -> None:
    """Hide every pkghashbytes symbol: the hashes are then read through the pkghash string headers
    (an absolute pointer in the executable, a dynamic relocation in the plugin)."""
    data = (built[FIRST] / name).read_bytes()
    hidden = data.replace(b"go:link.pkghashbytes.", b"go:link.pkghashbyteZ.")
    assert read_go_binary(hidden, name).package_hashes == read_go_binary(data, name).package_hashes


# ---------------------------------------------------------------------------------------------
# Broken and foreign files


def only_problem(binary: GoBinary) -> str:
    assert len(binary.problems) == 1, binary.problems
    assert binary.problems[0].location.path == binary.path
    return binary.problems[0].message


def test_not_an_elf_file() -> None:
    message = only_problem(read_go_binary(b"#!/bin/sh\necho hi\n", "bin/krakend"))
    assert message.startswith("bin/krakend is not an ELF file")
    assert "empty" in only_problem(read_go_binary(b"", "empty.so"))


def test_truncated_elf_header() -> None:
    header = b"\x7fELF\x02\x01\x01" + bytes(33)  # 40 bytes of a 64-byte header
    binary = read_go_binary(header, "cut.so")
    assert "truncated" in only_problem(binary)
    assert binary.kind == ""


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    assert "cannot read" in only_problem(open_go_binary(tmp_path / "nope.so", "nope.so"))
    assert "cannot read" in only_problem(open_go_binary(tmp_path, "dir.so"))
    (tmp_path / "empty.so").write_bytes(b"")
    assert "empty" in only_problem(open_go_binary(tmp_path / "empty.so", "empty.so"))


@pytest.mark.go
@pytest.mark.parametrize("fraction", [0.002, 0.05, 0.3, 0.6, 0.95])
def test_truncated_real_plugin_never_raises(built: dict[str, Path], fraction: float) -> None:
    data = (built[FIRST] / "plugin.so").read_bytes()
    binary = read_go_binary(data[: int(len(data) * fraction)], "cut.so")
    assert binary.problems
    assert any("truncated" in p.message for p in binary.problems)


@pytest.mark.go
def test_truncated_plugin_keeps_what_is_still_there(built: dict[str, Path]) -> None:
    """Cutting off the section headers and .symtab leaves the segments: build info and hashes."""
    data = (built[FIRST] / "plugin.so").read_bytes()
    full = read_go_binary(data, "cut.so")
    symtab = data.find(b"go:link.thispluginpath")  # inside .strtab, after every loaded segment
    cut = read_go_binary(data[:symtab], "cut.so")
    assert cut.go_version_raw == full.go_version_raw and cut.deps == full.deps
    assert cut.package_hashes == full.package_hashes
    assert cut.exported_symbols == PLUGIN_EXPORTS


@pytest.mark.go
def test_corrupt_build_info(built: dict[str, Path]) -> None:
    data = bytearray((built[FIRST] / "plugin.so").read_bytes())
    start = data.find(BUILDINFO_MAGIC)
    data[start + 32] = 0xFF  # the version's uvarint length now never ends inside the blob
    data[start + 33 : start + 43] = b"\xff" * 10
    binary = read_go_binary(bytes(data), "bad.so")
    message = only_problem(binary)
    assert message.startswith("bad.so has corrupt Go build info")
    assert binary.go_version == "" and binary.kind == "plugin" and binary.package_hashes


@pytest.mark.go
def test_bad_module_info_line_is_reported_and_skipped(built: dict[str, Path]) -> None:
    data = (built[FIRST] / "plugin.so").read_bytes()
    broken = data.replace(b"dep\texample.com/kpl/util\t", b"xyz\texample.com/kpl/util\t", 1)
    binary = read_go_binary(broken, "odd.so")
    assert "unexpected line" in only_problem(binary)
    assert binary.dep("example.com/kpl/util") is None and binary.dep("example.com/kpl/greet") is not None


def test_non_go_executable(tmp_path: Path) -> None:
    true = Path(shutil.which("true") or "/bin/true")
    copy = tmp_path / "true"
    shutil.copyfile(true, copy)
    binary = open_go_binary(copy, "tools/true")
    assert "has no Go build info" in only_problem(binary)
    assert binary.problems[0].kind == "not-go"
    assert binary.kind == "executable" and binary.machine == platform.machine()
    assert not binary.is_go and binary.package_hashes == {}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_non_go_shared_object(tmp_path: Path) -> None:
    (tmp_path / "tiny.c").write_text('#include <stdio.h>\nint tiny(int x) { return printf("%d", x); }\n')
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", "libtiny.so", "tiny.c"], cwd=tmp_path, check=True)
    binary = open_go_binary(tmp_path / "libtiny.so", "libtiny.so")
    assert "has no Go build info" in only_problem(binary)
    assert (binary.kind, binary.interpreter, binary.libc) == ("shared-object", "", "glibc")
    assert binary.plugin_path == "" and binary.exported_symbols == frozenset()
    (tmp_path / "bare.c").write_text("int bare(int x) { return x + 1; }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-nostdlib", "-o", "libbare.so", "bare.c"], cwd=tmp_path, check=True)
    bare = open_go_binary(tmp_path / "libbare.so", "libbare.so")
    assert (bare.kind, bare.needed, bare.libc) == ("shared-object", (), "")


def test_garbage_after_the_magic_never_raises() -> None:
    for size in range(0, 200, 7):
        for filler in (b"\x00", b"\xff", b"\x41"):
            read_go_binary(b"\x7fELF\x02\x01\x01" + filler * size, "junk")
            read_go_binary(b"\x7fELF\x01\x02\x01" + filler * size, "junk")


# ---------------------------------------------------------------------------------------------
# Hand-made ELF files: the Go 1.13-1.17 pointer format, other machines, no section headers

START_SENTINEL = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
END_SENTINEL = bytes.fromhex("f932433186182072008242104116d8f2")
MODINFO = (
    "path\texample.com/old\n"
    "mod\texample.com/old\tv1.0.0\th1:main=\n"
    "dep\tgithub.com/a/b\tv1.2.3\th1:ab=\n"
    "dep\tgithub.com/c/d\tv0.1.0\n"
    "=>\tgithub.com/e/d\tv0.2.0\th1:ed=\n"
)
EM_X86_64, EM_MIPS, EM_S390, EM_AARCH64 = 62, 8, 22, 183


def framed(text: str) -> bytes:
    return START_SENTINEL + text.encode() + END_SENTINEL


def uvarint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def pointer_blob(vaddr: int, bits: int, little: bool, version: bytes, modinfo: bytes) -> bytes:
    """Build info as Go 1.13-1.17 wrote it: two pointers to string headers in the data segment."""
    ptr = ("<" if little else ">") + ("Q" if bits == 64 else "I")
    size = bits // 8
    version_header, modinfo_header = vaddr + 32, vaddr + 32 + 2 * size
    strings = vaddr + 32 + 4 * size
    head = BUILDINFO_MAGIC + bytes([size, 0 if little else 1])
    head += struct.pack(ptr, version_header) + struct.pack(ptr, modinfo_header)
    head = head.ljust(32, b"\0")
    head += struct.pack(ptr, strings) + struct.pack(ptr, len(version))
    head += struct.pack(ptr, strings + len(version)) + struct.pack(ptr, len(modinfo))
    return head + version + modinfo


def inline_blob(version: bytes, modinfo: bytes) -> bytes:
    head = (BUILDINFO_MAGIC + bytes([8, 2])).ljust(32, b"\0")
    return head + uvarint(len(version)) + version + uvarint(len(modinfo)) + modinfo


def make_elf(blob: Callable[[int], bytes], *, bits: int = 64, little: bool = True, machine: int = EM_X86_64,
             sections: bool = True, blob_at: int = 0x40, e_type: int = 2, interp: str = "",
             needed: tuple[str, ...] = ()) -> bytes:
    """An ELF with one writable PT_LOAD holding ``blob(vaddr)`` at ``blob_at`` into the segment,
    optionally a .go.buildinfo section over it, a PT_INTERP and a PT_DYNAMIC with DT_NEEDED."""
    e = "<" if little else ">"
    w = "Q" if bits == 64 else "I"
    ehsize, phsize, shsize = (64, 56, 64) if bits == 64 else (52, 32, 40)
    base, data_offset = 0x500000, 0x1000
    payload = blob(base + blob_at)
    segment = bytes(blob_at) + payload
    dynamic_at = 0
    if needed:
        strtab_at = len(segment)
        strings = b"\0" + b"".join(name.encode() + b"\0" for name in needed)
        segment = (segment + strings).ljust((len(segment) + len(strings) + 7) & ~7, b"\0")
        dynamic_at = len(segment)
        offsets = [1 + sum(len(n) + 1 for n in needed[:i]) for i in range(len(needed))]
        tags = [(1, off) for off in offsets] + [(5, base + strtab_at), (0, 0)]
        segment += b"".join(struct.pack(e + w * 2, tag, value) for tag, value in tags)
    names = b"\0.go.buildinfo\0.shstrtab\0"
    names_offset = data_offset + len(segment)
    shoff = (names_offset + len(names) + 7) & ~7
    rw = 6  # PF_R | PF_W
    headers = [(1, rw, data_offset, base, len(segment))]  # (type, flags, offset, vaddr, size)
    interp_offset = ehsize + phsize * (1 + bool(interp) + bool(needed))
    if interp:
        headers.append((3, 4, interp_offset, 0, len(interp) + 1))
    if needed:
        headers.append((2, rw, data_offset + dynamic_at, base + dynamic_at, len(segment) - dynamic_at))
    ident = b"\x7fELF" + bytes([bits // 32, 1 if little else 2, 1]) + bytes(9)
    header = ident + struct.pack(e + "HHI" + w * 3 + "IHHHHHH", e_type, machine, 1, base, ehsize,
                                 shoff if sections else 0, 0, ehsize, phsize, len(headers), shsize,
                                 3 if sections else 0, 2 if sections else 0)
    for kind, flags, offset, vaddr, size in headers:
        if bits == 64:
            header += struct.pack(e + "IIQQQQQQ", kind, flags, offset, vaddr, vaddr, size, size, 0x1000)
        else:
            header += struct.pack(e + "IIIIIIII", kind, offset, vaddr, vaddr, size, size, flags, 0x1000)
    header += interp.encode() + b"\0" if interp else b""
    image = bytearray(header.ljust(data_offset, b"\0") + segment + names)
    if sections:
        fields = e + ("IIQQQQIIQQ" if bits == 64 else "IIIIIIIIII")
        table = struct.pack(fields, *([0] * 10))
        table += struct.pack(fields, 1, 1, 3, base + blob_at, data_offset + blob_at, len(payload), 0, 0, 16, 0)
        table += struct.pack(fields, 15, 3, 0, 0, names_offset, len(names), 0, 0, 1, 0)
        image = image.ljust(shoff, b"\0") + table
    return bytes(image)


@pytest.mark.parametrize(("interp", "needed", "e_type", "expected"), [
    ("/lib/ld-musl-x86_64.so.1", ("libc.musl-x86_64.so.1",), 2, ("executable", "musl")),
    ("/lib64/ld-linux-x86-64.so.2", ("libc.so.6",), 3, ("executable", "glibc")),
    ("", ("libc.musl-x86_64.so.1",), 3, ("plugin", "musl")),
    ("", ("libc.so.6", "libpthread.so.0"), 3, ("plugin", "glibc")),
    ("", ("libfoo.so",), 3, ("plugin", "")),
    ("", (), 2, ("executable", "static")),
])
def test_interpreter_needed_and_libc(interp: str, needed: tuple[str, ...], e_type: int,
                                     expected: tuple[str, str]) -> None:
    mode = "exe" if e_type == 2 else "pie" if interp else "plugin"
    modinfo = framed(f"path\texample.com/p\nbuild\t-buildmode={mode}\n")
    elf = make_elf(lambda va: inline_blob(b"go1.22.10", modinfo), e_type=e_type, interp=interp, needed=needed)
    binary = read_go_binary(elf, "libc")
    assert (binary.interpreter, binary.needed) == (interp, needed)
    assert (binary.kind, binary.libc) == expected
    problems = [p.message for p in binary.problems]
    assert problems == (["libc is a Go plugin without go:link.pkghashbytes symbols; its package link hashes "
                         "cannot be compared"] if e_type == 3 and not interp else [])


def test_pointer_format_little_endian_64() -> None:
    elf = make_elf(lambda va: pointer_blob(va, 64, True, b"go1.16.15", framed(MODINFO)))
    binary = read_go_binary(elf, "old")
    assert binary.problems == ()
    assert (binary.go_version, binary.go_version_raw, binary.buildinfo_format) == ("1.16.15", "go1.16.15", "pointer")
    assert binary.package_path == "example.com/old"
    assert binary.main_module == Module("example.com/old", "v1.0.0", "h1:main=")
    assert binary.deps == (
        Module("github.com/a/b", "v1.2.3", "h1:ab="),
        Module("github.com/c/d", "v0.1.0", "", Module("github.com/e/d", "v0.2.0", "h1:ed=")),
    )
    assert binary.settings == {}
    assert (binary.machine, binary.goarch, binary.elf_class, binary.kind, binary.libc) == (
        "x86_64", "amd64", 64, "executable", "static")


@pytest.mark.parametrize(("bits", "machine", "expected"), [
    (32, EM_MIPS, ("mips", "mips")),
    (64, EM_S390, ("s390x", "s390x")),
])
def test_pointer_format_big_endian_without_sections(bits: int, machine: int, expected: tuple[str, str]) -> None:
    elf = make_elf(lambda va: pointer_blob(va, bits, False, b"go1.15.2", framed(MODINFO)),
                   bits=bits, little=False, machine=machine, sections=False)
    binary = read_go_binary(elf, "old-be")
    assert binary.problems == ()
    assert (binary.machine, binary.goarch, binary.elf_class, binary.byte_order) == (*expected, bits, "big")
    assert (binary.go_version, binary.buildinfo_format) == ("1.15.2", "pointer")
    assert len(binary.deps) == 2 and binary.stripped


def test_inline_format_found_by_magic_without_sections() -> None:
    modinfo = framed(MODINFO + 'build\t-ldflags="-s -w -X \\"main.v=1\\""\nbuild\tCGO_ENABLED=0\n')
    elf = make_elf(lambda va: inline_blob(b"go1.24.11 X:nosynchashtriemap", modinfo), machine=EM_AARCH64,
                   sections=False, blob_at=0x30)
    binary = read_go_binary(elf, "new")
    assert binary.problems == ()
    assert (binary.go_version, binary.go_version_raw) == ("1.24.11", "go1.24.11 X:nosynchashtriemap")
    assert (binary.machine, binary.goarch) == ("aarch64", "arm64")
    assert binary.settings == {"-ldflags": '-s -w -X "main.v=1"', "CGO_ENABLED": "0"}


def test_magic_must_be_16_aligned() -> None:
    elf = make_elf(lambda va: inline_blob(b"go1.22.1", b""), sections=False, blob_at=0x38)
    binary = read_go_binary(elf, "odd")
    assert "has no Go build info" in only_problem(binary)


def test_build_info_without_module_info() -> None:
    """A GOPATH-mode build: a version but no framed module info."""
    binary = read_go_binary(make_elf(lambda va: inline_blob(b"go1.17.13", b"")), "gopath")
    assert (binary.go_version, binary.modinfo, binary.deps, binary.problems) == ("1.17.13", "", (), ())


@pytest.mark.parametrize(("blob", "says"), [
    (lambda va: pointer_blob(va, 64, True, b"go1.16", framed(MODINFO))[:20], "cut short"),
    (lambda va: (BUILDINFO_MAGIC + bytes([3, 0])).ljust(48, b"\0"), "pointer size 3"),
    (lambda va: pointer_blob(va + 0x100000, 64, True, b"go1.16", framed(MODINFO)), "outside the file"),
    (lambda va: (BUILDINFO_MAGIC + bytes([8, 2])).ljust(32, b"\0") + uvarint(500) + b"go1", "runs past the end"),
    (lambda va: inline_blob(b"", b""), "empty"),
])
def test_corrupt_synthetic_build_info(blob: Callable[[int], bytes], says: str) -> None:
    message = only_problem(read_go_binary(make_elf(blob), "bad"))
    assert message.startswith("bad has corrupt Go build info") and says in message


# ---------------------------------------------------------------------------------------------
# Module info text and names


def test_parse_modinfo_quoting_and_errors() -> None:
    text = (
        "go\tgo1.22.1\n"
        "path\tcommand-line-arguments\n"
        "build\t\"we ird\"=`raw \"value\"`\n"
        "build\t-gcflags=\"all=-N -l\\t\\x41\\u00e9\\101\"\n"
        "build\tvcs.modified=true\n"
        "build\tnoequals\n"
        "build\t=novalue\n"
        "build\t-x=\"unterminated\n"
        "=>\torphan\tv1\th1:x=\n"
        "dep\tonly-one-column\n"
        "something else\n"
    )
    info = parse_modinfo(text)
    assert info.package_path == "command-line-arguments"
    assert info.main_module is None and info.deps == ()
    assert dict(info.settings) == {"we ird": 'raw "value"', "-gcflags": "all=-N -l\tAéA",
                                   "vcs.modified": "true"}
    assert [e.split(":")[0] for e in info.errors] == ["line 6", "line 7", "line 8", "line 9", "line 10", "line 11"]


def test_symbol_prefix_escapes_like_the_linker() -> None:
    assert symbol_prefix("example.com/kpl/my.plugin") == "example.com/kpl/my%2eplugin"
    assert symbol_prefix("example.com/a.b/c") == "example.com/a.b/c"
    assert symbol_prefix('we"ird%/p a') == "we%22ird%25/p%20a"
    assert symbol_prefix("main") == "main"
