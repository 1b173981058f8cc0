"""The KrakenD version the linter checks against was read from a floating value.

## Why
Every version-dependent check (Go version, shared modules, builder images) needs one exact
KrakenD release. When the only place that names one floats (a `$schema` URL with
`/schema/v2.7/`, `KRAKEND_VERSION=2.7` in a Makefile or workflow), the linter assumes the newest
release it can mean and says so here, once. A floating image tag is reported by KP606 instead.
The assumption changes when KrakenD publishes a release, and may not be what you deploy. A
KrakenD built from a krakend-ce clone without a release tag moves with every commit to its
default branch: that is a warning, like a floating image tag.

## Fails
```json
{ "$schema": "https://www.krakend.io/schema/v2.7/krakend.json", "version": 3 }
```
(with no other version pin)

## Passes
```makefile
KRAKEND_VERSION ?= 2.7.2
```
or running with `--krakend-version 2.7.2`

## How to fix
Pin the exact KrakenD version in your build (image tags, variables) or pass `--krakend-version`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP910", "target-version-floating", "the target KrakenD was resolved from a floating version",
                Severity.NOTICE)

_IMAGE_KINDS = ("runtime-image", "builder-image")


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    target = ctx.target
    if not target.floating or target.location is None or not target.version:
        return
    chosen = next((c for c in target.candidates if c.location == target.location), None)
    if chosen is not None and chosen.kind in _IMAGE_KINDS:
        return
    if chosen is not None and chosen.kind == "self-built":
        yield RULE.finding(
            target.location,
            f"KrakenD is built from krakend-ce without a release tag, so it is whatever the default branch holds "
            f"when the image is built (assumed {target.version}, the newest release); plugins built for one "
            "release do not load into another",
            hint="clone a release tag: `git clone --branch v<version> ...`",
            severity=Severity.WARNING,
        )
        return
    yield RULE.finding(
        target.location,
        f"the target KrakenD is assumed to be {target.version}, the newest release {target.written or 'latest'} "
        f"can mean ({target.source})",
        hint="pin an exact KrakenD version or pass --krakend-version",
    )
