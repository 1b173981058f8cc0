"""The versioned JSON report: everything the linter found, for scripts and other tools.

The shape is documented by ``schema/report.schema.json``; a change to it that breaks readers
bumps ``SCHEMA_VERSION``. Keys come out in a fixed order, so equal reports give equal bytes.
"""

from __future__ import annotations

import json
from typing import Any

from linter.formats.base import VERSION_FACT, RenderContext, counts, usable_fix
from linter.model import Finding, Fix, Location, PluginSummary, Report

SCHEMA_VERSION = 1


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"


def build(report: Report) -> dict[str, Any]:
    c = counts(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": report.tool_version,
        "krakend": {
            "version": report.fact(VERSION_FACT),
            "facts": [{"name": f.name, "value": f.value, "source": f.source} for f in report.krakend],
        },
        "plugins": [_plugin(p) for p in report.plugins],
        "findings": [_finding(f) for f in report.findings],
        "summary": {
            "errors": c.errors,
            "warnings": c.warnings,
            "notices": c.notices,
            "suppressed": c.suppressed,
            "plugins": c.plugins,
        },
    }


def _plugin(plugin: PluginSummary) -> dict[str, Any]:
    return {
        "root": plugin.root,
        "module": plugin.module,
        "types": list(plugin.types),
        "deployment": {
            "files": list(plugin.files),
            "krakend": [{"name": f.name, "value": f.value, "source": f.source} for f in plugin.krakend],
        },
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.label,
        **_location(finding.location),
        "message": finding.message,
        "hint": finding.hint,
        "fix": _fix(usable_fix(finding)),
        "plugin": finding.plugin,
        "fingerprint": finding.fingerprint,
        "related": [_location(loc) for loc in finding.related],
        "suppressed": finding.suppressed_by or None,
    }


def _location(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
    }


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {"line": fix.line, "end_line": fix.last_line, "replacement": fix.replacement}
