"""Every plugin deployed together needs its own module path.

## Why
Go identifies a loaded plugin by its plugin path: the import path of its main package, which for
a plugin at the root of its module is the `module` line of its go.mod. KrakenD opens every
matching `.so` of its plugin folder in one process, so when two plugins of one repository keep the
same `module` line (plugins created from one template), the second is refused with
`plugin.Open("/opt/krakend/plugins/b.so"): plugin already loaded` and KrakenD starts without it,
saying so only at DEBUG level. This rule sees it from the source, before anything is built; with
built `.so` files and a KrakenD binary, KP806 confirms it from the binaries. Plugins that never
meet (two examples, each with its own Dockerfile and config) may keep the same module line.

## Fails
```
plugins/auth/go.mod:   module krakend-plugin
plugins/audit/go.mod:  module krakend-plugin
```

## Passes
```
plugins/auth/go.mod:   module github.com/acme/krakend-auth
plugins/audit/go.mod:  module github.com/acme/krakend-audit
```

## How to fix
Give each plugin its own module path (`go mod edit -module github.com/<you>/<plugin-name>`),
update the imports inside that plugin, and rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import PluginRoot, Workspace
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP609", "plugin-module-duplicate", "plugins loaded together must not share a module path", Severity.ERROR
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    by_module: dict[str, list[PluginRoot]] = {}
    for plugin in ws.plugins:
        if plugin.module:
            by_module.setdefault(plugin.module, []).append(plugin)
    for module, plugins in sorted(by_module.items()):
        first = plugins[0]
        for other in plugins[1:]:
            yield _finding(module, other, first)


def _finding(module: str, plugin: PluginRoot, first: PluginRoot) -> Finding:
    assert plugin.gomod is not None and plugin.gomod.module is not None and first.gomod is not None
    decl = plugin.gomod.module
    name = plugin.dir.rsplit("/", 1)[-1] if plugin.dir not in ("", ".") else "plugin"
    return RULE.finding(
        decl.location,
        f"module {module} is also the module of {first.gomod.path}: KrakenD loads the first of the two and "
        f'refuses the other with "plugin already loaded"',
        hint=f"give this plugin its own module path: `go mod edit -module {module}-{name}` and update its imports",
        fix=Fix(decl.location.line, f"module {module}-{name}"),
        plugin=plugin.dir,
        key=f"{module} duplicate of {first.dir}",
    )
