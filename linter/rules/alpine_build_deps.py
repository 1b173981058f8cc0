"""Building a plugin in a plain golang Alpine image needs `gcc` and `musl-dev` installed first.

## Why
A plugin build runs cgo, which needs a C compiler and the C library headers. The
`golang:<go>-alpine<ver>` images ship neither, so the build stops with `cgo: C compiler "gcc"
not found` (or missing headers). `krakend/builder` images already contain `gcc`, `musl-dev` and
`binutils-gold`; KrakenD's v2.0 docs said to `apk add make gcc musl-dev` when extending Alpine.
The rule checks the packages installed (`apk add`, in the same stage or the stages it is built
`FROM`) before the build; `build-base` counts as both.

## Fails
```dockerfile
FROM golang:1.22.5-alpine3.19 AS builder
RUN go build -buildmode=plugin -o /p.so .
```

## Passes
```dockerfile
FROM golang:1.22.5-alpine3.19 AS builder
RUN apk add --no-cache gcc musl-dev
RUN go build -buildmode=plugin -o /p.so .
```

## How to fix
Add `RUN apk add --no-cache gcc musl-dev` before the build (`fix` adds it after the stage's
`FROM`), or build in `krakend/builder:<version>`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import BuildSite, plugin_builds
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP603", "alpine-build-deps", "golang Alpine builders need gcc and musl-dev for plugins",
                Severity.ERROR)

NEEDED = ("gcc", "musl-dev")


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[Location] = set()
    for site in plugin_builds(ws):
        info = site.image
        if info is None or site.image_location is None or info.libc != "musl" or info.role not in ("golang", "os"):
            continue
        if site.env("CGO_ENABLED") == "0" or "build-base" in site.installs:
            continue  # KP602 reports disabled cgo
        missing = [name for name in NEEDED if name not in site.installs]
        if not missing or site.image_location in seen:
            continue
        seen.add(site.image_location)
        yield RULE.finding(
            site.image_location,
            f"{info.ref.raw} has no {' and '.join(missing)}, which the plugin's cgo build needs",
            hint=f"add `{_INSTALL}` before the build{_or_builder(ctx)}",
            fix=_fix(site),
            related=(site.build.location,),
        )


_INSTALL = "RUN apk add --no-cache gcc musl-dev"


def _or_builder(ctx: RuleContext) -> str:
    release = ctx.target.release
    builder = release.builder("musl") if release is not None else None
    return f", or build in {builder.image}" if builder is not None else ", or build in krakend/builder"


def _fix(site: BuildSite) -> Fix | None:
    """The install right after the stage's ``FROM`` line (one line becomes two)."""
    if site.dockerfile is None or site.stage is None or site.image_location is None:
        return None
    number = site.image_location.line
    line = site.lines[number - 1] if 0 < number <= len(site.lines) else ""
    if not line.lstrip().upper().startswith("FROM ") or line.rstrip().endswith("\\"):
        return None
    return Fix(number, f"{line}\n{_INSTALL}")
