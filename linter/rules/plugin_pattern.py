"""Every plugin file the repository builds must contain the config's `plugin.pattern`.

## Why
KrakenD lists `plugin.folder` and opens only the files whose name *contains* `plugin.pattern`
(a plain substring test, not a glob or a suffix match). A plugin built as `-o auth.so` is never
opened with `"pattern": "-prod.so"`, and nothing says so above DEBUG level. The file names are
read from `go build -o` in the Dockerfile, Makefile, shell scripts and workflows, and from the
`.so` files given to the linter.

## Fails
```json
"plugin": {"folder": "/opt/krakend/plugins/", "pattern": "-prod.so"}
```
with `go build -buildmode=plugin -o auth.so .`

## Passes
```json
"plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"}
```

## How to fix
Make the pattern a part every plugin file name has (`.so` is the usual choice), or name the
build output so that it contains the pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from linter.inputs.shell import GoBuild
from linter.inputs.workspace import Workspace
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta("KP503", "plugin-pattern", "built plugin file names must contain plugin.pattern", Severity.ERROR)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    built = built_plugin_names(ws)
    if not built:
        return
    for config in ws.gateway_configs:
        plugin = config.root.get("plugin") if config.root is not None else None
        pattern = plugin.get("pattern") if plugin is not None else None
        if pattern is None or pattern.kind != "string":
            continue
        missed = {name: loc for name, loc in built.items() if pattern.value not in name}
        if not missed:
            continue
        names = ", ".join(sorted(missed))
        folder = plugin.string("folder") if plugin is not None else None
        yield RULE.finding(
            pattern.location,
            f"pattern \"{pattern.value}\" is not part of {names}: KrakenD opens only the files in "
            f"{folder or 'the plugin folder'} whose name contains the pattern, so it never loads "
            f"{'it' if len(missed) == 1 else 'them'}",
            hint="use a pattern every plugin file name contains (\".so\"), or rename the build output to contain it",
            related=tuple(missed.values()),
            key=f"pattern {pattern.value} misses {names}",
        )


def built_plugin_names(ws: Workspace) -> dict[str, Location]:
    """File names of the plugins this repository builds (or was given), with where each comes from."""
    names: dict[str, Location] = {}
    for binary in ws.built_plugins:
        if binary.kind in ("plugin", "shared-object") or binary.path.endswith(".so"):
            names.setdefault(binary.path.rsplit("/", 1)[-1], Location(binary.path))
    for dockerfile in ws.dockerfiles:
        for stage in dockerfile.stages:
            for run in stage.runs:
                if run.shell is not None:
                    _add_builds(names, run.shell.go_builds)
    for script in ws.build_scripts:
        _add_builds(names, script.go_builds, script.expand)
    for workflow in ws.workflows:
        for shell in workflow.scripts:
            _add_builds(names, shell.go_builds)
    return names


def _add_builds(names: dict[str, Location], builds: tuple[GoBuild, ...],
                expand: Callable[[str], str] | None = None) -> None:
    for build in builds:
        output = expand(build.output) if expand is not None else build.output
        if build.is_plugin_build and output and "$" not in output and not output.endswith("/"):
            flag = build.flag("o")
            names.setdefault(output.rsplit("/", 1)[-1], flag.location if flag else build.location)
