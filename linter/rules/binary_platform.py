"""A built plugin must be an ELF of the KrakenD binary's machine, linked against its C library.

## Why
KrakenD opens plugins with the system's dynamic loader (`dlopen`), which refuses a shared object
for another machine or word size (`wrong ELF class: ELFCLASS64`, `cannot open shared object file`)
before Go sees it. A plugin linked against glibc cannot be loaded by a musl KrakenD (the official
Alpine-based image) and the other way round: the C library it needs is missing or its symbols do
not resolve (`Error relocating my-plugin.so: __vfprintf_chk: symbol not found`). A statically
linked KrakenD (built without cgo) cannot load plugins at all (`plugin: not implemented`).

## Fails
`my-plugin.so` built on a glibc Debian runner (`golang:1.22`), checked with `--krakend-binary` of
the official Alpine image (musl); or an arm64 plugin for an amd64 KrakenD.

## Passes
A plugin built inside `krakend/builder:<version>` (musl) for the official image, or inside
`krakend/builder:<version>-linux-generic` (glibc) for the `.deb`/`.rpm`/linux-generic KrakenD,
on the same architecture.

## How to fix
Build the plugin in the builder image matching the KrakenD you run (the finding names it), with
`--platform` (or `GOARCH` and a matching C cross compiler) set to KrakenD's architecture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.inputs.workspace import Workspace
from linter.krakend.verdict import builder_image, host_label, krakend_version, verdicts
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:  # the judgement is imported only when there is a plugin to judge
    from linter.krakend.judge import Mismatch

RULE = RuleMeta(
    "KP803", "binary-platform", "a built plugin must match the KrakenD binary's machine and libc", Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for plugin, host, verdict in verdicts(ws):
        version = krakend_version(host, ctx.target.version)
        label = host_label(host, version)
        for mismatch in verdict.platform:
            yield RULE.finding(
                Location(plugin.path),
                _message(plugin.path, label, mismatch),
                hint=_hint(mismatch, version),
                key=f"{plugin.path} {mismatch.what} {mismatch.plugin} vs {mismatch.host}",
            )


def _message(plugin: str, label: str, mismatch: Mismatch) -> str:
    if mismatch.what == "machine":
        return (f"{plugin} is built for {mismatch.plugin} but {label} runs on {mismatch.host}: the dynamic "
                "loader refuses a shared object of another machine")
    if mismatch.host == "static":
        return (f"{plugin} links {mismatch.plugin} but {label} is statically linked (built without cgo) and "
                "cannot load plugins at all (`plugin: not implemented`)")
    return (f"{plugin} links {mismatch.plugin} but {label} runs with {mismatch.host}: the C library the plugin "
            "needs is missing or its symbols do not resolve when KrakenD opens it")


def _hint(mismatch: Mismatch, version: str) -> str:
    if mismatch.what == "machine":
        return f"build the plugin for {mismatch.host} (`--platform` of the build stage, or GOARCH with a matching CC)"
    if mismatch.host == "static":
        return "use a KrakenD built with CGO_ENABLED=1 (every official KrakenD is)"
    image = builder_image(version, mismatch.host)
    return f"build the plugin against {mismatch.host}" + (f", inside {image}" if image else "")
