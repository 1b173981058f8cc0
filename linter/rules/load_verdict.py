"""The exact verdict: the built plugin will load into the KrakenD binary given.

## Why
With both binaries at hand the linter can answer the question the rest of the rules only
approximate: Go's loader compares the link hash of every package the plugin shares with KrakenD,
and this rule has compared them all, along with the Go release, the machine, the C library and the
registerer symbols KrakenD looks up. When everything agrees it says so, with the number of shared
packages compared, so a green run means "this exact `.so` loads into this exact KrakenD", not just
"no known problem was found". When an exact comparison is impossible (a binary without link
hashes, such as a KrakenD built without plugin support) it says why instead. The positive verdict
is only given in the default precise mode; `--mode check-plugin` reproduces `krakend check-plugin`,
which cannot tell.

## Fails
Nothing fails here: a plugin that will not load is reported by KP801-KP804 and KP806. This notice
is absent for `my-plugin.so` when, say, its `runtime` package differs from KrakenD's.

## Passes
```
my-plugin.so will load into krakend (KrakenD 2.7.0, Go 1.22.5): all 212 shared packages match
```

## How to fix
Nothing to fix when the verdict is positive. When it says no exact verdict could be given, pass
the KrakenD binary you deploy (`--krakend-binary`, for instance copied out of the official image)
and a plugin built with `-buildmode=plugin`.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.verdict import host_label, krakend_version, verdicts
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP805", "load-verdict", "the exact verdict on whether a built plugin loads into the KrakenD binary",
    Severity.NOTICE,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if ctx.mode != "precise":
        return
    for plugin, host, verdict in verdicts(ws):
        label = host_label(host, krakend_version(host, ctx.target.version))
        if verdict.will_load:
            yield RULE.finding(
                Location(plugin.path),
                f"{plugin.path} will load into {label}: all {verdict.shared} shared packages match",
                hint=f"it exports {', '.join(verdict.registerers)}",
                key=f"{plugin.path} will load",
            )
        elif not verdict.exact:
            yield RULE.finding(
                Location(plugin.path),
                f"no exact load verdict for {plugin.path} in {label}: {'; '.join(verdict.unknowns)}",
                hint="pass the KrakenD binary you deploy with --krakend-binary and a plugin built with "
                     "-buildmode=plugin",
                key=f"{plugin.path} no exact verdict",
            )
