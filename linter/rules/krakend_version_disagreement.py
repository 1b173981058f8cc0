"""Every place that pins a KrakenD version must name the same release.

## Why
A plugin loads only into the KrakenD release it was built for. When the Dockerfile's runtime
image, the builder used by the Makefile, a workflow's `KRAKEND_VERSION` and the gateway
config's `$schema` name different releases, at least one of them builds or runs the plugin
against the wrong KrakenD, and the plugin is silently left out (KrakenD logs the load failure
at DEBUG level). The linter checks everything against one target (shown in its summary:
`--krakend-version`, else the runtime image, else the builder, else variables and `$schema`);
this rule reports each other source that names another release. A builder and runtime image
of the same Dockerfile are compared by KP605 instead. Floating values agree with the releases
they cover (`$schema .../v2.7/...` agrees with 2.7.0).

## Fails
```makefile
KRAKEND_VERSION ?= 2.6.3
```
with `FROM krakend:2.7.0` in the Dockerfile

## Passes
```makefile
KRAKEND_VERSION ?= 2.7.0
```

## How to fix
Decide which KrakenD you deploy and pin that version everywhere (or pass `--krakend-version`
and fix the sources the linter reports).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.target import Target, TargetCandidate
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP608", "krakend-version-disagreement", "every KrakenD version pin must name the same release",
                Severity.WARNING)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    target = ctx.target
    if not target.version:
        return
    for candidate in target.candidates:
        if candidate.location is None or candidate.location == target.location or candidate.kind == "cli":
            continue
        if agrees(candidate, target) or _left_to_kp605(candidate, target.candidates):
            continue
        named = candidate.resolved or candidate.version
        yield RULE.finding(
            candidate.location,
            f"{candidate.source} names KrakenD {named} but the target is {target.label} from {target.source}",
            hint=f"pin the same KrakenD release everywhere ({target.version}, or the one you deploy)",
            related=(target.location,) if target.location else (),
            key=f"{candidate.source}:{target.version}",
        )


def agrees(candidate: TargetCandidate, target: Target) -> bool:
    if candidate.resolved == target.version or not (candidate.resolved or candidate.version):
        return True
    written = candidate.version.removeprefix("v")
    if candidate.floating and written not in ("", "latest"):
        return target.version.startswith(written + ".")
    return False


def _left_to_kp605(candidate: TargetCandidate, candidates: tuple[TargetCandidate, ...]) -> bool:
    """A builder stage beside a runtime stage of the same Dockerfile: KP605 compares those two."""
    if candidate.kind != "builder-image" or candidate.stage < 0:
        return False
    return any(other.kind == "runtime-image" and other.path == candidate.path and other.stage >= 0
               for other in candidates)
