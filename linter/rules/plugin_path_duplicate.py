"""Two different built plugins must not share a plugin path.

## Why
Go identifies a loaded plugin by its plugin path, the import path of its main package (the
`module` line of its go.mod for a plugin at the module root). KrakenD opens every matching `.so`
of its plugin folder in one process; when a second, different plugin has a plugin path already
loaded, Go refuses it with `plugin.Open("/opt/krakend/plugins/b.so"): plugin already loaded`, and
KrakenD starts without it. This happens in monorepos where several plugins were created from the
same template and kept its `module` line. Two copies of the very same build are not reported.

## Fails
`a/go.mod` and `b/go.mod` both say `module krakend-plugin`, and both `.so` files are built.

## Passes
`module github.com/acme/krakend-auth` and `module github.com/acme/krakend-audit`.

## How to fix
Give each plugin its own module path in its go.mod (`module github.com/<you>/<plugin-name>`),
update its imports, and rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.verdict import go_plugins, plugin_root, shared_plugin_paths
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP806", "plugin-path-duplicate", "two built plugins must not share a plugin path", Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for path, builds in shared_plugin_paths(go_plugins(ws)):
        first = builds[0]
        for other in builds[1:]:
            root = plugin_root(ws, other)
            yield RULE.finding(
                Location(other.path),
                f"{other.path} and {first.path} are different plugins with the same plugin path {path}: "
                f"KrakenD opens the first and refuses the other with `plugin already loaded`",
                hint="give each plugin its own module path in its go.mod (`module github.com/<you>/<plugin-name>`) "
                     "and rebuild",
                related=(Location(first.path),),
                plugin=root.dir if root else "",
                key=f"{other.path} {first.path} share {path}",
            )
