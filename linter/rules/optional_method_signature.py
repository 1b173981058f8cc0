"""Optional registerer methods must match exactly, or KrakenD silently never calls them.

## Why
After the required method, the loaders check whether the symbol also implements
`RegisterLogger(interface{})` (all plugin types, called from KrakenD CE 2.0.0) and, for
request/response modifiers, `RegisterContext(context.Context)` (from CE 2.6.0; Enterprise
middlewares have it too). These are optional interface assertions: a method with a slightly
different name or signature (a custom logger interface as the parameter, `RegisterLoger`) does
not satisfy them, and KrakenD logs nothing at all. The plugin loads, but its logger stays nil
or its context is never set, which usually shows up later as a nil-pointer panic or missing logs.
The same happens when the target KrakenD is older than the release that calls the method, or
when `RegisterContext` is on an HTTP server or client registerer, whose loaders never call it.

## Fails
```go
func (r registerer) RegisterLogger(l Logger) { logger = l }
```

## Passes
```go
func (r registerer) RegisterLogger(v interface{}) {
	l, ok := v.(Logger)
	if ok {
		logger = l
	}
}
```

## How to fix
Declare the method exactly as `RegisterLogger(interface{})` or `RegisterContext(context.Context)`
and assert the value to your own interface inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.gosource import Member
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.definitions import CONTRACTS, OptionalMethod, at_least
from linter.krakend.contracts.names import levenshtein
from linter.krakend.contracts.registerer import Registerer
from linter.krakend.contracts.source import PluginSource, source_view
from linter.krakend.target import Target
from linter.model import Finding, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP405", "optional-method-signature",
    "RegisterLogger/RegisterContext must match exactly or they are never called", Severity.WARNING,
)

_OPTIONAL = {"RegisterLogger": "RegisterLogger(interface{})", "RegisterContext": "RegisterContext(context.Context)"}
_REQUIRED = frozenset(c.method for c in CONTRACTS)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        for reg in source.registerers:
            if reg.value_kind != "value":
                continue
            for member in reg.members:
                message = _problem(source, reg, member, ctx.target)
                if message:
                    yield RULE.finding(
                        member.method.location,
                        message,
                        hint=_hint(member.method.name),
                        plugin=source.plugin.dir,
                        key=f"{reg.contract.symbol} {member.method.name}",
                    )


def _problem(source: PluginSource, reg: Registerer, member: Member, target: Target) -> str:
    name = member.method.name
    if name in _REQUIRED:
        return ""
    for wanted in _OPTIONAL:
        if name == wanted:
            return _exact_name(source, reg, member, target)
        if name.lower() == wanted.lower() or levenshtein(name.lower(), wanted.lower()) <= 2:
            return (f"{name} looks like {wanted} but is not named exactly that: the {reg.contract.type} loader "
                    f"only calls {_OPTIONAL[wanted]} and never calls it")
    return ""


def _exact_name(source: PluginSource, reg: Registerer, member: Member, target: Target) -> str:
    name = member.method.name
    optional = _optional(reg, name)
    if optional is None:
        return (f"{name} is never called: the {reg.contract.type} loader does not look for it "
                "(only request/response modifiers and Enterprise middlewares receive a context)")
    have = source.module.expand(member.method.signature, member.package)
    if have != optional.signature:
        return (f"{name} has type {have.render()}, so the loader's optional check for {_OPTIONAL[name]} fails "
                "and it is silently never called")
    if optional.since_ce and at_least(target.version, optional.since_ce) is False:
        return (f"{name} is not called by {target.release_label()}: the {reg.contract.type} loader calls it from "
                f"KrakenD {optional.since_ce} on")
    return ""


def _optional(reg: Registerer, name: str) -> OptionalMethod | None:
    return next((o for o in reg.contract.optional if o.name == name), None)


def _hint(name: str) -> str:
    wanted = next((w for w in _OPTIONAL if w.lower() == name.lower() or levenshtein(w.lower(), name.lower()) <= 2),
                  "RegisterLogger")
    return f"declare it exactly as `func (r registerer) {_OPTIONAL[wanted]}` and assert the value inside"
