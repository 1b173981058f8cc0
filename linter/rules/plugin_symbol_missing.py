"""A built plugin must export a registerer symbol that this KrakenD looks up.

## Why
KrakenD opens every `.so` in its plugin folder and then looks up one symbol per plugin type:
`HandlerRegisterer` (HTTP server), `ClientRegisterer` (HTTP client), `ModifierRegisterer`
(request/response modifier, CE 2.0 and later) and, in KrakenD Enterprise only,
`MiddlewareRegisterer`. A plugin exporting none of the ones this KrakenD looks up is opened and
ignored; KrakenD logs `plugin: symbol HandlerRegisterer not found in plugin ...` at DEBUG level.
The rule reads the exported names from the built `.so` itself (its plugin table, or its dynamic
symbols when stripped), so it sees what the loader will see, whatever the sources say.

## Fails
A `.so` whose main package declares `var handlerRegisterer = registerer("x")` (not exported), or
only `var MiddlewareRegisterer = ...` for KrakenD CE.

## Passes
A `.so` whose main package declares `var HandlerRegisterer = registerer("x")`.

## How to fix
Export the registerer as a package-level variable of package `main` with the exact name for the
plugin type, and rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.inputs.workspace import Workspace
from linter.krakend.verdict import (
    REGISTERER_SYMBOLS,
    host_label,
    krakend_version,
    listing,
    unused_registerers,
    verdicts,
)
from linter.model import Finding, Location, RuleMeta, Severity
from linter.rules.base import RuleContext

RULE = RuleMeta(
    "KP804", "plugin-symbol-missing", "a built plugin must export a registerer KrakenD looks up", Severity.ERROR,
)


def check(ws: Workspace, ctx: RuleContext) -> Iterator[Finding]:
    edition = ctx.target.edition
    for plugin, host, verdict in verdicts(ws):
        if not plugin.exported_symbols_source:
            continue  # the exports could not be read (KP905 says why)
        version = krakend_version(host, ctx.target.version)
        label = host_label(host, version)
        looked_up = [s for s in REGISTERER_SYMBOLS if not unused_registerers([s], edition, version)]
        exports = sorted(plugin.exported_symbols)
        if not verdict.registerers:
            also = f"; it exports {listing(exports)}" if exports else "; it exports nothing"
            yield RULE.finding(
                Location(plugin.path),
                f"{plugin.path} exports none of the symbols {label} looks up ({', '.join(looked_up)}){also}",
                hint="declare the registerer as an exported package-level variable of package main, e.g. "
                     "`var HandlerRegisterer = registerer(\"my-plugin\")`, and rebuild",
                key=f"{plugin.path} no registerer",
            )
            continue
        unused = unused_registerers(verdict.registerers, edition, version)
        if unused and len(unused) == len(verdict.registerers):
            which = "KrakenD Community Edition" if edition != "ee" else "this KrakenD"
            yield RULE.finding(
                Location(plugin.path),
                f"{plugin.path} exports only {', '.join(unused)}, which {which} ({label}) never looks up; it "
                f"looks up {', '.join(looked_up)}",
                hint="export the registerer of a plugin type this KrakenD loads, or target the KrakenD that "
                     "loads this one",
                key=f"{plugin.path} only {','.join(unused)}",
            )
