"""Plugins must be built against the C library of the KrakenD that loads them.

## Why
KrakenD opens plugins with `dlopen`, and a Go plugin links against the C library of the image it
was built in. The official KrakenD Docker image is Alpine (musl); the deb/rpm packages and the
generic Linux tarball are glibc. A plugin built in a Debian-based image (`golang:1.22.5`,
`golang:1.22.5-bookworm`, `krakend/builder:<v>-linux-generic`, or straight on an Ubuntu CI
runner) and loaded by the Alpine image fails with `Error relocating ...: __vfprintf_chk: symbol
not found` or `unsupported relocation type`; a musl plugin in a glibc KrakenD fails as well.

The runtime is the final stage of the same Dockerfile when there is one, else the target
KrakenD's flavour (Docker image = musl; `-linux-generic` = glibc).

## Fails
```dockerfile
FROM golang:1.22.5-bookworm AS builder
RUN go build -buildmode=plugin -o /p.so .
FROM krakend:2.7.0
COPY --from=builder /p.so /opt/krakend/plugins/
```

## Passes
```dockerfile
FROM krakend/builder:2.7.0 AS builder
RUN go build -buildmode=plugin -o /p.so .
FROM krakend:2.7.0
COPY --from=builder /p.so /opt/krakend/plugins/
```

## How to fix
Build for the Docker image in `krakend/builder:<version>` (or `golang:<go>-alpine<ver>` with
`gcc musl-dev`); for deb/rpm/tarball installs use `krakend/builder:<version>-linux-generic`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuilderImage, BuildSite, builder_images, image_fix, plugin_builds, runtime_stage
from linter.inputs.workspace import Workspace
from linter.krakend.releases import Release
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP301", "builder-runtime-libc", "plugins must be built against the runtime's C library",
                Severity.ERROR)

_NAMES = {"musl": "musl (Alpine)", "glibc": "glibc (Debian/Ubuntu)"}
_SYMPTOM = "loading fails with `Error relocating ...: symbol not found`"


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for image in builder_images(ws):
        runtime, where = _runtime_libc(image, ctx)
        have = image.info.libc
        if have in _NAMES and runtime in _NAMES and have != runtime:
            suggestion = _suggest(image, runtime, ctx.target.release)
            yield RULE.finding(
                image.location,
                f"plugin is built on {_NAMES[have]} ({image.info.ref.raw}) but {where} uses {_NAMES[runtime]}",
                hint=f"build in {suggestion or 'an image with the runtime libc'}; {_SYMPTOM}",
                fix=image_fix(image, suggestion) if suggestion else None,
                key=f"{image.path}:{image.info.ref.raw}",
            )
    yield from _runner_builds(ws, ctx)


def _runtime_libc(image: BuilderImage, ctx: RuleContext) -> tuple[str, str]:
    if image.dockerfile is not None:
        runtime = runtime_stage(image.dockerfile)
        if runtime is not None and runtime[1].libc:
            return runtime[1].libc, f"the runtime image {runtime[1].ref.raw}"
    if ctx.target.flavour and ctx.target.libc:
        flavour = " (linux-generic)" if ctx.target.flavour == "linux-generic" else " (Docker image)"
        return ctx.target.libc, ctx.target.label + flavour
    return "", ""


def _suggest(image: BuilderImage, libc: str, release: Release | None) -> str:
    info = image.info
    if info.role == "krakend-builder" and info.release is not None:
        variant = "-linux-generic" if libc == "glibc" else ""
        return info.ref.with_tag(info.release.version + variant)
    if release is None:
        return ""
    builder = release.builder(libc)
    if info.role == "golang" and builder is not None and builder.base_image:
        return builder.base_image
    return builder.image if builder is not None else ""


def _runner_builds(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    """Plugin builds straight on a glibc CI runner for a musl KrakenD."""
    if ctx.target.libc != "musl" or not ctx.target.flavour:
        return
    seen: set[str] = set()
    for site in plugin_builds(ws):
        if site.image is not None or site.host_libc != "glibc" or _musl_compiler(site):
            continue
        key = f"{site.path}:{site.build.location.line}"
        if key in seen:
            continue
        seen.add(key)
        builder = ctx.target.release.builder("musl") if ctx.target.release else None
        yield RULE.finding(
            site.build.location,
            f"plugin is built on the {site.runner} runner ({_NAMES['glibc']}) but {ctx.target.label} "
            f"uses {_NAMES['musl']}",
            hint=f"run the build in {builder.image if builder else 'an Alpine builder'} (a job `container:` or "
                 f"`docker run`); {_SYMPTOM}",
        )


def _musl_compiler(site: BuildSite) -> bool:
    return "musl" in (site.env("CC") or "")
