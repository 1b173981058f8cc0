"""CI and version pin files must build plugins with exactly the Go KrakenD was built with.

## Why
A plugin built with another Go release than KrakenD's, patch included, fails to load with
`plugin was built with a different version of package ...`. `actions/setup-go`
installs whatever `go-version` (or `go-version-file`) says: `1.22.x` or `1.22` means the newest
1.22 patch, not KrakenD's, and an unquoted `1.20` is read by YAML as the number 1.2. The rule
checks `setup-go` steps of jobs that build plugins (a plugin `go build`, or `make`), the go.mod
a `go-version-file` points at, and `.go-version` / `.tool-versions` files (asdf, mise, goenv).

## Fails
```yaml
- uses: actions/setup-go@v5
  with:
    go-version: 1.22.x
```
(for KrakenD 2.7.0, built with Go 1.22.5)

## Passes
```yaml
- uses: actions/setup-go@v5
  with:
    go-version: "1.22.5"
```

## How to fix
Pin the exact Go of your KrakenD release (quoted in YAML), in every place CI reads it from;
better, build inside `krakend/builder:<version>` so CI and KrakenD cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.analysis.build import replace_at
from linter.inputs.workspace import Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

if TYPE_CHECKING:  # the workflow parser loads only when a workflow was found
    from linter.inputs.workflow import Job, SetupGo, Value, Workflow

RULE = RuleMeta("KP204", "ci-go-version", "CI and Go pin files must use exactly KrakenD's Go", Severity.ERROR)

_PIN_FILES = (".go-version", ".tool-versions")


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.target.go_version:
        return
    want = ctx.target.go_version
    for workflow in ws.workflows:
        for setup in workflow.setup_go:
            job = next(j for j in workflow.jobs if setup.step in j.steps)
            if _builds_plugins(job):
                yield from _setup_go(ws, workflow, setup, want, ctx)
    for pin in ws.go_version_files:
        if pin.version and pin.version != want:
            fix = Fix(pin.location.line, pin.line_text.replace(pin.version, want, 1)) if pin.line_text else None
            yield RULE.finding(
                pin.location,
                f"{pin.kind} pins Go {pin.version} but {ctx.target.label_with_source} is built with Go {want}",
                hint=f"pin Go {want}", fix=fix,
            )


def _builds_plugins(job: Job) -> bool:
    scripts = [step.run for step in job.steps if step.run is not None]
    return any(build.is_plugin_build for s in scripts for build in s.go_builds) or any(s.make_calls for s in scripts)


def _setup_go(ws: Workspace, workflow: Workflow, setup: SetupGo, want: str, ctx: RuleContext) -> Iterator[Finding]:
    for version in setup.versions:
        if version.text == want or version.text.startswith("${{"):
            continue
        yield RULE.finding(
            version.location,
            f"setup-go {_describe(version)} but {ctx.target.label_with_source} is built with Go {want}",
            hint=f'use go-version: "{want}"',
            fix=replace_at(workflow.lines, version.location, version.text, f'"{want}"' if version.numeric else want),
        )
    if setup.go_version_file is not None and setup.go_version is None:
        yield from _version_file(ws, setup.go_version_file, want, ctx)


def _describe(version: Value) -> str:
    text = version.text
    if version.numeric and text.endswith("0"):
        return f"go-version {text} is an unquoted YAML number (read as {text.rstrip('0').rstrip('.')})"
    if text.count(".") < 2 or not text.replace(".", "").isdigit():
        return f"go-version {text} floats to the newest matching Go release"
    return f"installs Go {text}"


def _version_file(ws: Workspace, value: Value, want: str, ctx: RuleContext) -> Iterator[Finding]:
    """`go-version-file: go.mod` installs the toolchain line's Go, else the go line's newest patch."""
    path = value.text.removeprefix("./")
    if path.endswith(_PIN_FILES):
        return  # reported at the file itself
    gomod = next((p.gomod for p in ws.plugins if p.gomod is not None and p.gomod.path == path), None)
    if gomod is None:
        return
    toolchain = gomod.toolchain.value.removeprefix("go") if gomod.toolchain else ""
    have = toolchain or (gomod.go.value if gomod.go else "")
    anchor = gomod.toolchain or gomod.go
    if not have or have == want or anchor is None:
        return
    yield RULE.finding(
        value.location,
        f"setup-go reads Go {have} from {path}, but {ctx.target.label_with_source} is built with Go {want}",
        hint=f"add `toolchain go{want}` to {path} or use go-version: \"{want}\"",
        related=(anchor.location,),
    )
