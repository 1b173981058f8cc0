"""An exported name that looks like a registerer but is not spelt exactly like one.

## Why
The loaders look symbols up by their exact, case-sensitive names: `HandlerRegisterer`,
`ClientRegisterer`, `ModifierRegisterer`, `MiddlewareRegisterer`. A variable called
`HandlerRegister`, `handlerRegisterer`, `ModifiersRegisterer`, `ServerRegisterer`, or the
generic `Registerer` / `Plugin` used by other plugin systems and old examples, is never found:
KrakenD 2.x logs at DEBUG level `plugin: symbol HandlerRegisterer not found in plugin ...` and
starts without the plugin.

## Fails
```go
var HandlerRegister = registerer("hello")
```

## Passes
```go
var HandlerRegisterer = registerer("hello")
```

## How to fix
Rename the variable to the exact symbol name of its plugin type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from linter.inputs.gosource import GoValue
from linter.inputs.workspace import Workspace
from linter.krakend.contracts.definitions import CONTRACTS, PluginContract
from linter.krakend.contracts.failures import debug_log, symbol_not_found
from linter.krakend.contracts.names import levenshtein
from linter.krakend.contracts.registerer import value_type
from linter.krakend.contracts.source import PluginSource, source_view
from linter.model import Finding, Fix, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP406", "registerer-name-typo", "a name that looks like a registerer must be spelt exactly like one",
    Severity.WARNING,
)

# Names other plugin systems, old examples or guesses use, and what they most likely meant.
_OTHER_NAMES = {
    "registerer": "", "plugin": "", "grpcregisterer": "", "serverregisterer": "HandlerRegisterer",
    "httpserverregisterer": "HandlerRegisterer", "executorregisterer": "ClientRegisterer",
    "httpclientregisterer": "ClientRegisterer", "requestmodifierregisterer": "ModifierRegisterer",
    "responsemodifierregisterer": "ModifierRegisterer", "middlewaresregisterer": "MiddlewareRegisterer",
}
_MAX_DISTANCE = 2
_SYMBOLS = frozenset(c.symbol for c in CONTRACTS)
_LOWERED = tuple((c, c.symbol.lower(), Counter(c.symbol.lower())) for c in CONTRACTS)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    for source in source_view(ws).sources:
        declared = {r.contract.symbol for r in source.registerers}
        for value in source.package.values:
            meant = _meant(source, value)
            if meant is not None and meant.symbol not in declared:
                yield _finding(source, value, meant)


def _meant(source: PluginSource, value: GoValue) -> PluginContract | None:
    name = value.name
    lower = name.lower()
    if name in _SYMBOLS:
        return None
    near = next(_near_symbols(lower), None)
    if near is not None:
        return near
    if lower not in _OTHER_NAMES:
        return None
    by_name = next((c for c in CONTRACTS if c.symbol == _OTHER_NAMES[lower]), None)
    return by_name or _by_method(source, value)


def _near_symbols(lower: str) -> Iterator[PluginContract]:
    """The contracts whose symbol is at most _MAX_DISTANCE edits from ``lower``, in contract order.

    A file can declare hundreds of thousands of names, so the edit distance is only computed when
    two cheap bounds allow it: every edit changes the length by at most one, and changes the
    letter counts by at most two (a substitution takes one letter away and adds another)."""
    letters: Counter[str] | None = None
    for c, symbol, symbol_letters in _LOWERED:
        if abs(len(lower) - len(symbol)) > _MAX_DISTANCE:
            continue
        if lower == symbol:
            yield c
            continue
        letters = letters if letters is not None else Counter(lower)
        differing = sum(((letters - symbol_letters) + (symbol_letters - letters)).values())
        if differing <= 2 * _MAX_DISTANCE and levenshtein(lower, symbol) <= _MAX_DISTANCE:
            yield c


def _by_method(source: PluginSource, value: GoValue) -> PluginContract | None:
    """For a generic name, the contract whose method the variable's type has (None: not a registerer)."""
    vtype = value_type(source.module, source.package, value)
    if vtype is None:
        return None
    names = {m.method.name for m in source.module.method_set(vtype, source.package)}
    return next((c for c in CONTRACTS if c.method in names), None)


def _finding(source: PluginSource, value: GoValue, meant: PluginContract) -> Finding:
    error = symbol_not_found(meant.symbol, source.symbol_path())
    file = source.package.file(value.path)
    line = file.line(value.location.line) if file else ""
    start = value.location.column - 1
    fix = None
    if line[start:start + len(value.name)] == value.name:
        fix = Fix(value.location.line, line[:start] + meant.symbol + line[start + len(value.name):])
    return RULE.finding(
        value.location,
        f"{value.name} looks like a misspelt {meant.symbol}: the {meant.type} loader looks up exactly "
        f"\"{meant.symbol}\" and logs at DEBUG \"{debug_log(error)}\"",
        hint=f"rename it to {meant.symbol} (and its uses)",
        fix=fix,
        plugin=source.plugin.dir,
        key=f"{value.name} -> {meant.symbol}",
    )
