"""KrakenD runtime and builder images must be pinned to an exact release.

## Why
Plugins load only into the KrakenD release they were built for (same Go, same shared packages).
A floating tag (`latest`, `2`, `2.7`, or no tag) moves to the next release on its own: the
runtime image moves while the plugin stays built for the old one, or builder and runtime move
at different times, and the plugin silently stops loading (logged at DEBUG level only). The rule
checks `krakend`, `devopsfaith/krakend`, `krakend/krakend-ee`, `krakend/builder` and
`krakend/builder-ee` images in Dockerfiles (an ARG-templated tag on its ARG line), `docker run`
commands in Makefiles and scripts, and workflow containers.

## Fails
```dockerfile
FROM krakend:2.7
```

## Passes
```dockerfile
FROM krakend:2.7.2
```

## How to fix
Pin the exact version you build for, on both the builder and the runtime image.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.analysis.build import image_fix, image_sites
from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP606", "floating-image-tag", "KrakenD images must be pinned to an exact release", Severity.WARNING)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for image in image_sites(ws):
        info = image.info
        if not info.is_krakend or not info.floating or not info.ref.resolved:
            continue
        tag = info.ref.tag or "(none)"
        release = info.release
        variant = f"-{info.match.variant}" if info.match and info.match.variant else ""
        new_image = info.ref.with_tag(release.version + variant) if release else ""
        means = f", which today means {release.version}" if release else ""
        yield RULE.finding(
            image.origin,
            f"{info.ref.raw} uses the floating tag {tag}{means}; it moves to new KrakenD releases and "
            "plugins built for one release do not load into another",
            hint=f"pin {new_image}" if new_image else "pin an exact KrakenD version",
            fix=image_fix(image, new_image) if new_image else None,
            key=f"{image.path}:{info.ref.raw}",
        )
