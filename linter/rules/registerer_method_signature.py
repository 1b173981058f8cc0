"""The registerer's type must have the loader's method with an identical signature.

## Why
The loader asserts the looked-up symbol (a `*T` for `var HandlerRegisterer = T(...)`) to an
interface with one method, and Go only accepts a method whose type is *identical*:

```go
// HandlerRegisterer
RegisterHandlers(func(string,
	func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))
// ClientRegisterer
RegisterClients(func(string,
	func(context.Context, map[string]interface{}) (http.Handler, error)))
// ModifierRegisterer (the bools: applies to requests, applies to responses)
RegisterModifiers(func(string,
	func(map[string]interface{}) func(interface{}) (interface{}, error), bool, bool))
// MiddlewareRegisterer (Enterprise)
RegisterMiddlewares(func(string,
	func(map[string]interface{}, func(context.Context, interface{}) (interface{}, error))
		func(context.Context, interface{}) (interface{}, error)))
```

Parameter names do not matter, `any` is `interface{}`, an alias (`type cb = func(...)`) is the
type it stands for, and value and pointer receivers both count. A *named* type is never
identical to its underlying type: `type cb func(...)` as the parameter type fails. So does a
misspelt method, a missing method, or one more or fewer parameter. The assertion fails and
KrakenD 2.x logs at DEBUG level
`plugin #0 (/opt/krakend/plugins/x.so): http-server-handler plugin loader: unknown type`
(`http-request-executor ...` for clients, `modifier plugin loader: unknown type` for modifiers),
then starts without the plugin.

## Fails
```go
type callback func(string, func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))

func (r registerer) RegisterHandlers(f callback) { f(string(r), r.handler) }
```

## Passes
```go
func (r registerer) RegisterHandlers(f func(
	string,
	func(context.Context, map[string]any, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.handler)
}
```

## How to fix
Write the method with exactly the signature in the table: spell the function types out (or use
aliases, `type x = func(...)`), and keep the method name as shown.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import GoModule, GoPackage, GoType
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.failures import debug_log
from linter.krakend.contracts.names import levenshtein
from linter.krakend.contracts.registerer import Registerer
from linter.krakend.contracts.source import PluginSource, display, source_view
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP404", "registerer-method-signature",
    "the registerer's type must have the loader's method with an identical signature", Severity.ERROR,
)
_CONTAINERS = frozenset({"map", "slice", "array", "pointer", "chan"})


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            if reg.decl_kind != "var" or reg.identical or not reg.value_type:
                continue
            # A pointer variable is KP403's; its pointee's method is still checked when it exists.
            if reg.value_kind == "value" or (reg.value_kind == "pointer" and reg.method is not None):
                yield _finding(source, reg)


def _finding(source: PluginSource, reg: Registerer) -> Finding:
    c = reg.contract
    shown = display(reg.value_type, reg.package)
    logged = f"; the type assertion fails and KrakenD logs at DEBUG \"{debug_log(c.loader_error)}\"" \
        if c.loader_error else "; the loader's type assertion fails"
    hint = f"declare it exactly as `{c.go_declaration()}`"
    related: tuple[Location, ...] = ()
    if reg.method is not None:
        member = reg.method
        have = source.module.expand(member.method.signature, member.package)
        detail = _difference(source.module, member.package, have, c.signature)
        location = member.method.location
        message = (f"{c.method} of {shown} has type {display(have, member.package)}, not the "
                   f"{c.signature.render()} the loader needs")
        message += f" ({detail})" if detail else ""
        related = (reg.location,)
    else:
        near = _near_miss(reg)
        elsewhere = _declared_elsewhere(reg)
        if near is not None:
            location, related = near[1], (reg.location,)
            message = f"{shown} has a method {near[0]} but the loader calls {c.method}"
        elif elsewhere is not None:
            location, related = reg.location, (elsewhere[1],)
            message = f"{c.method} is declared on {elsewhere[0]}, not on {shown}, the type of {c.symbol}"
        else:
            location = reg.location
            message = f"{c.symbol} has type {shown}, which has no {c.method} method"
    return RULE.finding(location, message + logged, hint=hint, related=related, plugin=source.plugin.dir,
                        key=f"{c.symbol} {c.method}")


def _difference(module: GoModule, package: GoPackage, have: GoType, want: GoType) -> str:
    """Where the two types first differ, in words (inside a map, slice or pointer: the whole of it)."""
    pending = [(have, want, have, want)]
    while pending:
        h, w, parent_h, parent_w = pending.pop(0)
        if h == w:
            continue
        shape_h = (h.kind, h.name, h.package, len(h.elems), len(h.results), h.variadic, h.methods)
        shape_w = (w.kind, w.name, w.package, len(w.elems), len(w.results), w.variadic, w.methods)
        if shape_h != shape_w:
            if parent_h.kind in _CONTAINERS and h.kind != "named":
                h, w = parent_h, parent_w
            return _explain(module, package, h, w)
        pairs = list(zip(h.elems, w.elems, strict=True)) + list(zip(h.results, w.results, strict=True))
        pending[:0] = [(a, b, h, w) for a, b in pairs]
    return ""


def _explain(module: GoModule, package: GoPackage, have: GoType, want: GoType) -> str:
    shown = display(have, package)
    if have.kind == "named" and module.lookup_type(have, package) is not None:
        under = module.expand(module.underlying(have, package), package)
        if under == want:
            return (f"{shown} is a named type; Go needs the identical unnamed type, so write it inline or "
                    f"declare it as an alias: type {have.name} = {want.render()}")
        return f"{shown} is a named type where {want.render()} is needed"
    if have.kind == "func" and want.kind == "func" and len(have.elems) != len(want.elems):
        return f"{shown} takes {len(have.elems)} parameter(s) where {want.render()} takes {len(want.elems)}"
    return f"found {shown} where {want.render()} is needed"


def _near_miss(reg: Registerer) -> tuple[str, Location] | None:
    wanted = reg.contract.method.lower()
    for member in reg.members:
        name = member.method.name
        if name.lower() == wanted or levenshtein(name.lower(), wanted) <= 2:
            return name, member.method.location
    return None


def _declared_elsewhere(reg: Registerer) -> tuple[str, Location] | None:
    for method in reg.package.methods:
        if method.name == reg.contract.method and method.receiver is not None:
            return method.receiver.type_name, method.location
    return None
