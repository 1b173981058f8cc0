"""An arm64 plugin cross-compiled on an amd64 builder needs cgo and the builder's aarch64 C compiler.

## Why
The KrakenD builder images exist for amd64 only, so arm64 plugins are cross-compiled. Go turns
cgo off when cross-compiling unless `CGO_ENABLED=1` is set, and a plugin cannot be built without
cgo. The C compiler must match the builder's C library: `aarch64-linux-musl-gcc` in
`krakend/builder:<v>` (Alpine, for the Docker image), `aarch64-linux-gnu-gcc` in
`krakend/builder:<v>-linux-generic` (glibc, for deb/rpm/tarball); KrakenD's own release build
passes the same compiler as `-extld`. A musl compiler on a glibc builder (an old docs example,
krakend-documentation#231) or the other way round gives a plugin that does not load.
`krakend/builder:2.10.2` shipped without `aarch64-linux-musl-gcc` (krakend-ce#1025, fixed in
2.11.0). The rule runs when the builder is known to be amd64: a KrakenD builder, an explicit
`--platform=linux/amd64`, `GOHOSTARCH=amd64`, or an x64 CI runner.

## Fails
```dockerfile
FROM krakend/builder:2.7.0
RUN GOARCH=arm64 go build -buildmode=plugin -o p.so .
```

## Passes
```dockerfile
FROM krakend/builder:2.7.0
RUN CGO_ENABLED=1 GOARCH=arm64 GOHOSTARCH=amd64 CC=aarch64-linux-musl-gcc \
    go build -buildmode=plugin -ldflags='-extldflags=-fuse-ld=bfd -extld=aarch64-linux-musl-gcc' -o p.so .
```

## How to fix
Set `CGO_ENABLED=1 GOARCH=arm64 GOHOSTARCH=amd64 CC=<compiler>` and
`-ldflags='-extldflags=-fuse-ld=bfd -extld=<compiler>'`, with the compiler of your builder flavour.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP303", "arm64-cross-compile", "arm64 cross builds need CGO_ENABLED=1 and the matching C compiler",
                Severity.ERROR)

COMPILERS = {"musl": "aarch64-linux-musl-gcc", "glibc": "aarch64-linux-gnu-gcc"}
_FLAVOURS = {"musl": "Alpine/musl", "glibc": "glibc"}
_BROKEN_BUILDERS = {"2.10.2"}  # krakend-ce#1025: no aarch64-linux-musl-gcc in the image


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[tuple[Location, str]] = set()
    for site in plugin_builds(ws):
        goarch = site.build.getenv("GOARCH")
        if goarch is None or site.env("GOARCH") != "arm64" or not _amd64_host(site):
            continue
        for finding in _problems(site, goarch.location):
            key = (finding.location, finding.message)
            if key not in seen:
                seen.add(key)
                yield finding


def _amd64_host(site: BuildSite) -> bool:
    if site.env("GOHOSTARCH") == "amd64" or site.platform.startswith("linux/amd64"):
        return True
    if site.image is not None:
        return site.image.role == "krakend-builder" and not site.platform
    return site.runner.startswith(("ubuntu", "debian")) and "arm" not in site.runner


def _problems(site: BuildSite, anchor: Location) -> Iterator[Finding]:
    if site.build.getenv("CGO_ENABLED") is None:
        yield RULE.finding(anchor, "cross-compiling to arm64 without CGO_ENABLED=1: Go turns cgo off and a plugin "
                           "needs it", hint="set CGO_ENABLED=1 next to GOARCH=arm64")
    libc = site.libc
    want = COMPILERS.get(libc, "")
    if not want:
        return
    yield from _compiler(site, anchor, libc, want)
    extld = site.build.linker_flag("extld")
    if extld is not None and extld.value.rsplit("/", 1)[-1] != want:
        yield RULE.finding(extld.location, f"-extld={extld.value} does not match the {_FLAVOURS[libc]} builder, "
                           f"which needs {want}", hint=f"use -ldflags='-extldflags=-fuse-ld=bfd -extld={want}'")
    yield from _builder_lacks_compiler(site, want)


def _compiler(site: BuildSite, anchor: Location, libc: str, want: str) -> Iterator[Finding]:
    cc = site.build.getenv("CC")
    value = (site.env("CC") or "").rsplit("/", 1)[-1]
    image = site.image.ref.raw if site.image else site.runner or "the builder"
    if cc is None:
        yield RULE.finding(anchor, f"cross-compiling to arm64 on {image} without CC; the {_FLAVOURS[libc]} builder "
                           f"needs CC={want}", hint=f"set CC={want} and -ldflags='-extld={want}'")
    elif value != want and "$" not in value:
        yield RULE.finding(cc.location, f"CC={value} does not match the {_FLAVOURS[libc]} builder ({image}), which "
                           f"needs {want}", hint=f"set CC={want}")


def _builder_lacks_compiler(site: BuildSite, want: str) -> Iterator[Finding]:
    info = site.image
    if info is None or site.image_location is None:
        return
    if info.role == "krakend-builder" and info.flavour == "alpine" and info.release is not None \
            and info.release.version in _BROKEN_BUILDERS:
        yield RULE.finding(site.image_location, f"{info.ref.raw} ships without {want} (krakend-ce#1025)",
                           hint="cross-compile in krakend/builder 2.11.0 or later, or install the toolchain")
    elif info.role == "golang" and info.libc == "musl":
        yield RULE.finding(site.image_location, f"{info.ref.raw} has no {want} cross compiler",
                           hint="cross-compile in krakend/builder:<version>, which ships it")
    elif info.role == "golang" and "gcc-aarch64-linux-gnu" not in site.installs:
        yield RULE.finding(site.image_location, f"{info.ref.raw} has no {want} cross compiler installed",
                           hint="apt-get install gcc-aarch64-linux-gnu before the build, or use "
                                "krakend/builder:<version>-linux-generic")
