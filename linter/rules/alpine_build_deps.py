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
Add `RUN apk add --no-cache gcc musl-dev` before the build, or build in `krakend/builder:<version>`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules._build import plugin_builds
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
            hint="add `RUN apk add --no-cache gcc musl-dev` before the build, or build in krakend/builder:<version>",
            related=(site.build.location,),
        )
