"""The image plugins are built in must compile with exactly the Go KrakenD was built with.

## Why
Go's plugin loader compares the runtime packages of the plugin with KrakenD's. A plugin built
with another Go release, even another patch release, fails with `plugin was built with a
different version of package runtime/internal/sys` (Go 1.22 and older; `internal/goarch` between 1.23
and 1.24, whichever package a patch release changed for two patch releases), which KrakenD
v2 logs at DEBUG level before starting without the plugin. Each KrakenD release is built with
the `GOLANG_VERSION` of its Makefile (2.7.0: Go 1.22.5), and `krakend/builder:<version>`
carries exactly that Go. A floating `golang:1.22` tag moves to the newest 1.22 patch.

The rule checks every image a plugin build runs in: Dockerfile stages (an ARG-templated tag is
reported on the ARG line), `docker run` containers in Makefiles and scripts, and workflow job
containers; `go1.22.4 build` (a golang.org/dl wrapper) too. A builder whose tag names another
release than the runtime image of the same Dockerfile is left to KP605.

## Fails
```dockerfile
FROM golang:1.22.4-alpine3.19 AS builder
```
(for KrakenD 2.7.0)

## Passes
```dockerfile
FROM krakend/builder:2.7.0 AS builder
```
or `FROM golang:1.22.5-alpine3.19 AS builder`

## How to fix
Build in `krakend/builder:<your KrakenD version>` (`-linux-generic` for deb/rpm/tarball
installs), or pin the golang image to the exact Go of that release.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuilderImage, builder_images, image_fix, plugin_builds, runtime_stage
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.failures import go_mismatch_effect
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP201", "builder-go-version", "the plugin builder's Go must equal KrakenD's Go, patch included",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.target.go_version:
        return
    want = ctx.target.go_version
    for image in builder_images(ws):
        if image.info.role not in ("golang", "krakend-builder") or _left_to_kp605(image):
            continue
        have = image.info.go_version
        if have == want:
            continue
        yield _finding(image, have, want, ctx)
    yield from _wrappers(ws, ctx, want)


def _left_to_kp605(image: BuilderImage) -> bool:
    """A KrakenD builder next to a KrakenD runtime naming another release: KP605 reports it."""
    if image.info.role != "krakend-builder" or image.dockerfile is None:
        return False
    runtime = runtime_stage(image.dockerfile)
    if runtime is None or runtime[1].release is None or image.info.release is None:
        return False
    return runtime[1].release.version != image.info.release.version


def _finding(image: BuilderImage, have: str, want: str, ctx: RuleContext) -> Finding:
    raw = image.info.ref.raw
    new_image = _suggest(image, want, ctx)
    fix = image_fix(image, new_image) if new_image else None
    if not have or have.count(".") < 2:
        found = f"builder image {raw} floats over Go {have or 'releases'} patch releases"
    else:
        found = f"builder image {raw} compiles with Go {have}"
    return RULE.finding(
        image.origin,
        f"{found} but {ctx.target.label_with_source} is built with Go {want}",
        hint=f"build with {new_image or f'Go {want}'}{_or_builder(image, ctx)}; {go_mismatch_effect(have, want)}",
        fix=fix,
        related=(image.location,) if image.origin != image.location else (),
        key=f"{image.path}:{raw}:{want}",
    )


def _or_builder(image: BuilderImage, ctx: RuleContext) -> str:
    """`` (or krakend/builder:2.7.0)`` beside a golang image, as KP301 suggests."""
    release = ctx.target.release
    builder = release.builder(ctx.target.libc) if release is not None and ctx.target.libc else None
    return f" (or {builder.image})" if image.info.role == "golang" and builder is not None else ""


def _suggest(image: BuilderImage, want: str, ctx: RuleContext) -> str:
    info = image.info
    release = ctx.target.release
    if info.role == "krakend-builder" and release is not None:
        variant = "-linux-generic" if info.flavour == "linux-generic" else ""
        return info.ref.with_tag(f"{release.version}{variant}")
    tag = info.ref.tag
    alpine = release.alpine_version if release is not None and release.go_version == want else ""
    if alpine and info.os.startswith("alpine"):
        return info.ref.with_tag(f"{want}-alpine{alpine}")  # fully pinned: KrakenD's own Alpine
    # (a Debian golang image keeps its libc here: a libc mismatch is KP301's, with its own fix)
    if info.go_version and tag.startswith(info.go_version):
        return info.ref.with_tag(want + tag[len(info.go_version) :])
    return info.ref.with_tag(f"{want}-{info.os}" if info.os else want)


def _wrappers(ws: Workspace, ctx: RuleContext, want: str) -> Iterator[Finding]:
    """`go1.22.4 build`: the golang.org/dl wrapper names its Go."""
    for site in plugin_builds(ws):
        tool = site.build.tool
        if tool.startswith("go1.") and tool[2:] != want:
            word = site.build.command.words[0]
            yield RULE.finding(
                word.location,
                f"the plugin is built with {tool} (Go {tool[2:]}) but {ctx.target.label_with_source} is built "
                f"with Go {want}",
                hint=f"use go{want} (`go install golang.org/dl/go{want}@latest`); "
                     f"{go_mismatch_effect(tool[2:], want)}",
            )
