"""The builder image and the KrakenD runtime image of a Dockerfile must name the same release.

## Why
`krakend/builder:<version>` carries exactly the Go and build setup of KrakenD `<version>`. A
plugin built in the builder of one release and copied into the runtime of another was compiled
with another Go or against other shared packages, and fails to load (`plugin was built with a
different version of package ...`), logged at DEBUG level. KrakenD's docs: "Never use a tag that
mismatches the builder and KrakenD". Floating tags are compared by the release they mean today
(`2.7` is the newest 2.7.x), so `krakend/builder:2.7.0` with `krakend:2.7` is reported too. The
editions must match as well, across the deployment's files: a plugin for KrakenD Enterprise
(`krakend/krakend-ee`) is built in `krakend/builder-ee`, not in the Community builder.

## Fails
```dockerfile
FROM krakend/builder:2.6.3 AS builder
RUN go build -buildmode=plugin -o /p.so .
FROM krakend:2.7.0
```

## Passes
```dockerfile
FROM krakend/builder:2.7.0 AS builder
RUN go build -buildmode=plugin -o /p.so .
FROM krakend:2.7.0
```

## How to fix
Use the same exact version on both lines; a shared `ARG KRAKEND_VERSION` keeps them together.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import builder_images, image_fix, image_sites, runtime_stage
from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP605", "builder-runtime-version", "builder and runtime images must name the same KrakenD release",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    yield from _edition(ws, ctx)
    for image in image_sites(ws):
        info = image.info
        if image.dockerfile is None or info.role != "krakend-builder" or info.release is None:
            continue
        runtime = runtime_stage(image.dockerfile)
        if runtime is None or runtime[1].role != "krakend-runtime" or runtime[1].release is None:
            continue
        want = runtime[1].release
        if want.version == info.release.version:
            continue
        variant = "-linux-generic" if info.flavour == "linux-generic" else ""
        new_image = info.ref.with_tag(want.version + variant)
        yield RULE.finding(
            image.origin,
            f"builder {info.ref.raw} is KrakenD {info.release.version} (Go {info.go_version}) but the runtime "
            f"{runtime[1].ref.raw} is KrakenD {want.version} (Go {want.go_version})",
            hint=f"build in {new_image}",
            fix=image_fix(image, new_image),
            related=tuple(loc for loc in (runtime[0].image_location,) if loc is not None),
        )


def _edition(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    """A Community builder feeding KrakenD Enterprise, anywhere in the deployment (a Makefile
    building for a Compose service): EE plugins are built in krakend/builder-ee."""
    if ctx.target.edition != "ee":
        return
    for image in builder_images(ws):
        info = image.info
        if info.role != "krakend-builder" or info.edition != "ce":
            continue
        new_image = f"krakend/builder-ee:{info.ref.tag}" if info.ref.tag else "krakend/builder-ee"
        yield RULE.finding(
            image.origin,
            f"builder {info.ref.raw} is KrakenD Community, but the plugin is deployed into KrakenD Enterprise "
            f"({ctx.target.source}), whose modules and Go differ",
            hint=f"build in {new_image}",
            fix=image_fix(image, new_image),
            key=f"ce builder {info.ref.raw} for ee",
        )
