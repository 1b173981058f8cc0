"""The registerer symbol must be a variable holding a value of a named, non-interface type.

## Why
Go's plugin lookup hands the loader a pointer to the exported variable, and the loader asserts
that pointer to its `Registerer` interface. That only works for `var HandlerRegisterer = T(...)`
(or `T{...}`) where `T` has the method: the loader then holds a `*T`, whose method set has both
value- and pointer-receiver methods. Other shapes fail:

* a pointer variable (`= &T{}`, `new(T)`, `*T`): the loader gets `**T`, which has no methods;
* a variable declared with an interface type: the loader gets a pointer to an interface, which
  has no methods either;
* a function named like the symbol: the loader gets a `func` value.

Each of these fails the assertion, and KrakenD 2.x logs at DEBUG level
`plugin #0 (/opt/krakend/plugins/x.so): http-server-handler plugin loader: unknown type`
(`http-request-executor plugin loader: unknown type` for clients, `modifier plugin loader:
unknown type` for modifiers) and starts without the plugin. A constant or a type with the
symbol's name is not a symbol at all: `plugin: symbol HandlerRegisterer not found in plugin ...`.

## Fails
```go
var HandlerRegisterer = &registerer{name: "hello"}
```

## Passes
```go
var HandlerRegisterer = registerer{name: "hello"}
```

## How to fix
Declare a package-level variable whose type is the named type that has the methods (drop the
`&`, the `new(...)`, the interface type in the declaration, or turn the function into a variable).
Pointer receivers on the methods are fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import GoValue
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.failures import debug_log, symbol_not_found
from linter.krakend.contracts.registerer import Registerer
from linter.krakend.contracts.source import PluginSource, display, source_view
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP403", "registerer-value-type", "the registerer must be a variable holding a value of a named type",
    Severity.ERROR,
)

_SHAPES = {
    "pointer": "is a pointer ({type}): the loader receives a pointer to it, which has no methods",
    "interface": "is declared with interface type {type}: the loader receives a pointer to an interface, "
    "which has no methods",
    "func": "is a function: the loader receives a func value, not a registerer",
}


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            if reg.decl_kind in ("const", "type"):
                yield _not_a_symbol(source, reg)
            elif reg.value_kind in _SHAPES:
                yield _wrong_shape(source, reg)


def _wrong_shape(source: PluginSource, reg: Registerer) -> Finding:
    shown = display(reg.value_type, reg.package)
    what = _SHAPES[reg.value_kind].format(type=shown)
    error = reg.contract.loader_error
    logged = f" and KrakenD logs at DEBUG \"{debug_log(error)}\"" if error else ""
    return RULE.finding(
        reg.location,
        f"{reg.contract.symbol} {what}; the loader's type assertion fails{logged}",
        hint=_hint(reg),
        fix=_fix(reg),
        plugin=source.plugin.dir,
        key=f"{reg.contract.symbol} {reg.value_kind}",
    )


def _not_a_symbol(source: PluginSource, reg: Registerer) -> Finding:
    kind = "a constant" if reg.decl_kind == "const" else "a type"
    return RULE.finding(
        reg.location,
        f"{reg.contract.symbol} is {kind}, which a plugin does not export as a symbol; the lookup fails and "
        f"KrakenD logs at DEBUG \"{debug_log(symbol_not_found(reg.contract.symbol, source.symbol_path()))}\"",
        hint=f"declare `var {reg.contract.symbol} = <named type>(...)` at package level",
        plugin=source.plugin.dir,
        key=f"{reg.contract.symbol} {reg.decl_kind}",
    )


def _hint(reg: Registerer) -> str:
    symbol = reg.contract.symbol
    value = _value_text(reg)
    if reg.value_kind == "func":
        return (f"replace the function with a variable of a named type that has {reg.contract.method}: "
                f"`var {symbol} = {value}`")
    if reg.value_kind == "interface":
        return f"drop the interface type from the declaration: `var {symbol} = {value}`"
    return f"store the value, not a pointer: `var {symbol} = {value}` (pointer receivers still work)"


def _value_text(reg: Registerer) -> str:
    """What the variable should hold, from the plugin's own code: its initializer without ``&``,
    else the type that has the registration method (``registerer(...)``)."""
    decl = reg.declaration
    if isinstance(decl, GoValue) and decl.init is not None and "\n" not in decl.init.text:
        text = decl.init.text
        return text[1:].lstrip() if decl.init.kind == "address" and text.startswith("&") else text
    owner = next((m.receiver.type_name for m in reg.package.methods
                  if m.receiver is not None and m.name == reg.contract.method), "")
    return f"{owner}(...)" if owner else "<a value of a named type>(...)"


def _fix(reg: Registerer) -> Fix | None:
    """`&T{...}` -> `T{...}` when the whole initializer is on the declaration's line."""
    decl = reg.declaration
    if reg.value_kind != "pointer" or not isinstance(decl, GoValue) or decl.type is not None or decl.init is None:
        return None
    init = decl.init
    if init.kind != "address" or init.location.line != init.location.end_line:
        return None
    file = reg.package.file(decl.path)
    line = file.line(init.location.line) if file else ""
    start = init.location.column - 1
    if line[start:start + 1] != "&":
        return None
    return Fix(init.location.line, line[:start] + line[start + 1:])
