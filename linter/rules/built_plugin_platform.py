"""A built plugin (.so) must match KrakenD's architecture and C library.

## Why
KrakenD opens plugins with `dlopen`, so the `.so` must be an ELF file for the same machine and
link against the same C library as the KrakenD binary. The official Docker image is Alpine
(musl); the deb/rpm packages and the generic Linux tarball use glibc. A glibc plugin in the
Alpine image fails with `Error relocating ...: __vfprintf_chk: symbol not found` (or
`unsupported relocation type`); an arm64 plugin in an amd64 KrakenD fails to open at all.
The architecture is compared with `--krakend-binary`, or with the `--platform` of the
Dockerfile's runtime stage; the C library with the target KrakenD's. A Mach-O or PE file (a
plugin built on macOS or Windows) never loads into KrakenD on Linux.

## Fails
A `my-plugin.so` with interpreter `/lib64/ld-linux-x86-64.so.2` (glibc) for the KrakenD Docker
image (Alpine, musl).

## Passes
A `my-plugin.so` built in `krakend/builder:<version>` (musl) for the Docker image.

## How to fix
Build in `krakend/builder:<version>` for the Docker image, `krakend/builder:<version>-linux-generic`
for deb/rpm/tarball installs, and cross-compile for the runtime's architecture (see KP303).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.analysis.build import runtime_stage
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:  # the ELF reader is imported only when a binary is read
    from linter.inputs.gobinary import GoBinary

RULE = RuleMeta("KP305", "built-plugin-platform", "a built .so must match KrakenD's architecture and libc",
                Severity.ERROR)

_LIBC_NAMES = {"musl": "musl (Alpine)", "glibc": "glibc (Debian, Ubuntu, RHEL)"}


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    arch, arch_source = _runtime_arch(ws, ctx)
    libc = ws.krakend_binary.libc if ws.krakend_binary and ws.krakend_binary.libc in _LIBC_NAMES else ctx.target.libc
    for binary in ws.built_plugins:
        if binary.foreign_format:
            system = "macOS" if binary.foreign_format == "Mach-O" else "Windows"
            yield RULE.finding(
                Location(binary.path),
                f"{binary.path} is a {binary.foreign_format} file, built on {system}: KrakenD runs on Linux and "
                "refuses it (`invalid ELF header`)",
                hint="build the plugin in krakend/builder:<version> (Go plugins cannot be cross-compiled from "
                     f"{system} to Linux)",
                key=f"{binary.path}:format",
            )
            continue
        if arch and binary.goarch and binary.goarch != arch:
            yield RULE.finding(
                Location(binary.path),
                f"{binary.path} is built for {binary.goarch} ({binary.machine}) but KrakenD runs on {arch} "
                f"({arch_source})",
                hint=f"build with GOARCH={arch}; for arm64 cross-compile with CGO_ENABLED=1 and the builder's "
                     "aarch64 C compiler",
                key=f"{binary.path}:arch",
            )
        if libc in _LIBC_NAMES and binary.libc in _LIBC_NAMES and binary.libc != libc:
            yield _libc_finding(binary, libc, ctx)


def _libc_finding(binary: GoBinary, libc: str, ctx: RuleContext) -> Finding:
    release = ctx.target.release
    builder = release.builder(libc) if release else None
    return RULE.finding(
        Location(binary.path),
        f"{binary.path} links against {_LIBC_NAMES[binary.libc]} but {ctx.target.label_with_source} uses "
        f"{_LIBC_NAMES[libc]}",
        hint=f"rebuild in {builder.image if builder else 'a builder with the runtime libc'}; loading fails with "
             "`Error relocating ...: symbol not found`",
        key=f"{binary.path}:libc",
    )


def _runtime_arch(ws: Workspace, ctx: RuleContext) -> tuple[str, str]:
    if ctx.target.arch:
        return ctx.target.arch, ctx.target.binary
    for dockerfile in ws.dockerfiles:
        found = runtime_stage(dockerfile)
        if found is None or not found[0].platform or "$" in found[0].platform:
            continue
        parts = found[0].platform.split("/")
        if len(parts) >= 2:
            return parts[1], f"{dockerfile.path}:{found[0].location.line} --platform={found[0].platform}"
    return "", ""
