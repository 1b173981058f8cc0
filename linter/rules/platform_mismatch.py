"""The plugin must be built for the architecture the KrakenD runtime stage runs on.

## Why
A Go plugin is native code for one architecture; KrakenD cannot open an amd64 `.so` on arm64
or the other way round (`plugin.Open(...): ... wrong ELF class` / `cannot open shared object
file`), and the failure is logged at DEBUG level. In a multi-stage Dockerfile the builder and
runtime stages can be pinned to different platforms with `--platform`, and `GOARCH` can ask for
a third one. The rule compares the architecture the build produces (`GOARCH`, else the builder
stage's `--platform`) with the runtime stage's `--platform` when both are written out;
`$BUILDPLATFORM`/`$TARGETARCH` setups are left alone since BuildKit makes them agree.

## Fails
```dockerfile
FROM --platform=linux/amd64 krakend/builder:2.7.0 AS builder
RUN go build -buildmode=plugin -o /p.so .
FROM --platform=linux/arm64 krakend:2.7.0
```

## Passes
```dockerfile
FROM --platform=linux/amd64 krakend/builder:2.7.0 AS builder
RUN CGO_ENABLED=1 GOARCH=arm64 GOHOSTARCH=amd64 CC=aarch64-linux-musl-gcc \
    go build -buildmode=plugin -ldflags='-extld=aarch64-linux-musl-gcc' -o /p.so .
FROM --platform=linux/arm64 krakend:2.7.0
```

## How to fix
When a `GOARCH=` in the build names the wrong architecture, drop it (`fix` does, on a `RUN`
line): the build stage then compiles for its own platform, which should be the runtime's. Else
build the stage on the runtime's platform, or cross-compile for it (`GOARCH=arm64` with
`CGO_ENABLED=1` and a C cross compiler, see KP303).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds, remove_span, runtime_stage, stage_root
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP302", "platform-mismatch", "the plugin must be built for the runtime's architecture",
                Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[Location] = set()
    for site in plugin_builds(ws):
        if site.dockerfile is None or site.stage is None:
            continue
        runtime = runtime_stage(site.dockerfile)
        if runtime is None or runtime[0].index == site.stage.index:
            continue
        runtime_arch = arch_of(runtime[0].platform)
        built, anchor = _built_arch(site)
        if not runtime_arch or not built or built == runtime_arch or anchor is None or anchor in seen:
            continue
        seen.add(anchor)
        explicit = _explicit_goarch(site)
        yield RULE.finding(
            anchor,
            f"the plugin is built for {built} but the runtime stage runs on {runtime_arch} "
            f"(--platform={runtime[0].platform})",
            hint=_hint(site, built, runtime_arch, runtime[0].platform, explicit),
            fix=_fix(site, anchor) if explicit else None,
            related=tuple(loc for loc in (runtime[0].platform_location,) if loc is not None),
        )


def _fix(site: BuildSite, anchor: Location) -> Fix | None:
    """Drop ``GOARCH=x`` from a RUN line (an ``ENV`` line left empty would not parse)."""
    line = site.lines[anchor.line - 1] if 0 < anchor.line <= len(site.lines) else ""
    return remove_span(site.lines, anchor) if line.lstrip().upper().startswith("RUN ") else None


def _explicit_goarch(site: BuildSite) -> bool:
    """The build names its architecture with GOARCH=<literal>: dropping it is the fix."""
    goarch = site.build.getenv("GOARCH")
    value = site.env("GOARCH")
    return goarch is not None and value is not None and bool(value) and "$" not in value


def _hint(site: BuildSite, built: str, runtime_arch: str, platform: str, explicit: bool) -> str:
    assert site.dockerfile is not None and site.stage is not None
    stage_arch = arch_of(stage_root(site.dockerfile, site.stage).platform)
    if explicit and stage_arch == runtime_arch:
        return f"drop GOARCH={built}: the build stage already runs on {runtime_arch}, the runtime's platform"
    if explicit:
        return (f"drop GOARCH={built} and build the stage on the runtime's platform (`FROM --platform={platform} "
                f"...`), or cross-compile with GOARCH={runtime_arch}, CGO_ENABLED=1 and a C cross compiler")
    return (f"build the stage on the runtime's platform (`FROM --platform={platform} ...`), or cross-compile with "
            f"GOARCH={runtime_arch}, CGO_ENABLED=1 and a C cross compiler")


def _built_arch(site: BuildSite) -> tuple[str, Location | None]:
    goarch = site.build.getenv("GOARCH")
    value = site.env("GOARCH")
    if goarch is not None and value and "$" not in value:
        return value, goarch.location
    assert site.dockerfile is not None and site.stage is not None
    root = stage_root(site.dockerfile, site.stage)
    return arch_of(root.platform), root.platform_location


def arch_of(platform: str) -> str:
    """``linux/arm64/v8`` -> ``arm64``; "" when absent or still a variable."""
    parts = platform.split("/")
    return parts[1] if len(parts) >= 2 and "$" not in platform else ""
