"""The name a plugin registers cannot be determined from the source.

## Why
The registered name is what the gateway config must list (KP508 and KP509 compare the two).
When the name comes from a loop variable, a function call, a struct field read at run time, or
when the callback is handed to another function instead of being called in the registerer
method, the linter cannot know it without running the code, and says so instead of guessing.
Nothing is wrong with the plugin because of this; the config checks for its plugin type are
weaker.

## Fails
```go
type handlerFactory = func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)

func (r registerer) RegisterHandlers(f func(string, handlerFactory)) {
	for _, name := range loadNames() {
		f(name, r.handler)
	}
}
```

## Passes
```go
var HandlerRegisterer = registerer("hello")

func (r registerer) RegisterHandlers(f func(string, handlerFactory)) {
	f(string(r), r.handler)
}
```

## How to fix
Register names from string constants, package-level string constants or variables, or
`string(r)` of the registerer value, or list the names with `provided-names` so the config can be
checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import GoFunc, GoPackage
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.source import source_view
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP408", "registered-name-unknown", "the registered plugin name cannot be determined statically",
    Severity.NOTICE,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            if reg.method is None or not reg.identical:
                continue
            method = reg.method.method
            if not reg.callback_called:
                yield RULE.finding(
                    method.location,
                    f"{method.name} does not call its callback directly, so the names it registers cannot be read "
                    "from the source; the config names for this plugin type are not checked",
                    hint="call the callback in the method with a constant name, or list the names in provided-names",
                    plugin=source.plugin.dir,
                    key=f"{reg.contract.symbol} callback",
                )
            for item in reg.registrations:
                if item.name is None and item.name_expr is not None:
                    yield RULE.finding(
                        item.name_expr.location,
                        f"the name registered here ({item.name_expr.text}) is not a constant the linter can "
                        "evaluate; config names for this plugin type are not checked against it",
                        hint=_name_hint(_written_before(reg.package, method, item.location.line),
                                        method.receiver.name if method.receiver else ""),
                        plugin=source.plugin.dir,
                        key=f"{reg.contract.symbol} name {item.name_expr.text}",
                    )


def _written_before(package: GoPackage, method: GoFunc, line: int) -> str:
    """The method's source from its declaration to the register call: what the code already does."""
    file = package.file(method.path)
    if file is None:
        return ""
    return "\n".join(file.line(n) for n in range(method.location.line, line + 1))


def _name_hint(written: str, receiver: str) -> str:
    """What to register instead, leaving out what the code already does (``string(r)`` is only
    suggested when the name is not built from it already)."""
    ways = ["a string constant (`register(\"my-name\", ...)`, one call per name)"]
    value = f"string({receiver or 'r'})"
    if "string(" not in written and value not in written:
        ways.append(f"`{value}` of the registerer value")
    return "register " + " or ".join(ways) + ", or list the names in provided-names"
