"""A binary given to the load checks is not a Go program, or lacks what they compare.

## Why
The exact load verdict (KP8xx) reads Go's build info, link hashes, plugin path and exported
names from the `.so` files in the tree and from `--krakend-binary`. A `.so` that is a C library
(a vendored dependency, say) has no Go build info and is left out; a KrakenD binary that is not
a Go program, or a wrapper script, makes the exact verdict impossible. A plugin stripped of its
symbol table (`-ldflags "-s -w"` after `strip`) may no longer tell its plugin path, so the
duplicate-path check cannot include it.

## Fails
`--krakend-binary ./krakend.sh` (a shell wrapper), or `lib/libfoo.so` built by gcc.

## Passes
`--krakend-binary /usr/bin/krakend` copied out of the KrakenD image, and plugins built by `go
build -buildmode=plugin`.

## How to fix
Point `--krakend-binary` at the real KrakenD executable, exclude non-Go `.so` files with
`exclude:` in the config when they are not plugins, and keep the plugin's symbol table (do not
run `strip` on it).
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext, problems_of_kind

RULE = RuleMeta(
    "KP905", "binary-not-go", "a binary given to the load checks is not a Go program or is stripped", Severity.NOTICE,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    host = ws.krakend_binary.path if ws.krakend_binary is not None else None
    for problem in problems_of_kind(ws, "not-go"):
        is_host = problem.location.path == host
        consequence = "no exact load verdict can be given" if is_host else "it is not checked as a plugin"
        yield RULE.finding(
            problem.location,
            f"{problem.message}; {consequence}",
            hint=("pass the real KrakenD executable with --krakend-binary" if is_host
                  else "exclude it when it is not a plugin, or build the plugin with `go build -buildmode=plugin`"),
            severity=Severity.WARNING if is_host else None,
        )
    for problem in problems_of_kind(ws, "stripped"):
        yield RULE.finding(problem.location, problem.message,
                           hint="keep the plugin's symbol table (do not run `strip` on the .so)")
