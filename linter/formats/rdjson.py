"""reviewdog's rdjson (a ``DiagnosticResult``), for ``reviewdog -f=rdjson``.

reviewdog reads this with a strict protobuf JSON decoder, so only fields of its ``rdf`` proto
appear (no related locations: older reviewdog releases reject the field). Its ranges differ from
ours: columns count UTF-8 bytes and the end is exclusive; a range with lines only is "whole lines".
Suppressed findings are left out, since reviewdog would post them.
"""

from __future__ import annotations

import json
from typing import Any

from linter.formats.base import TOOL_NAME, TOOL_URL, RenderContext, message_with_hint, rule_docs, usable_fix
from linter.model import Finding, Location, Report, Severity

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.NOTICE: "INFO"}


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(build(report, ctx), indent=2, ensure_ascii=False) + "\n"


def build(report: Report, ctx: RenderContext) -> dict[str, Any]:
    active = report.active
    urls = {doc.meta.id: doc.meta.help_url for doc in rule_docs(ctx, active)}
    worst = max((f.severity for f in active), default=Severity.NOTICE)
    return {
        "source": {"name": TOOL_NAME, "url": TOOL_URL},
        "severity": SEVERITIES[worst],
        "diagnostics": [_diagnostic(f, urls[f.rule], ctx) for f in active],
    }


def _diagnostic(finding: Finding, url: str, ctx: RenderContext) -> dict[str, Any]:
    diagnostic: dict[str, Any] = {
        "message": message_with_hint(finding),
        "location": _location(finding.location, ctx),
        "severity": SEVERITIES[finding.severity],
        "code": {"value": finding.rule, "url": url},
    }
    fix = usable_fix(finding)
    if fix is not None:
        # Lines only on both ends: reviewdog replaces those whole lines and posts a GitHub
        # suggestion block over exactly that line range.
        line_range = {"start": {"line": fix.line}, "end": {"line": fix.last_line}}
        diagnostic["suggestions"] = [{"range": line_range, "text": fix.replacement}]
    diagnostic["original_output"] = f"{finding.location}: {finding.rule} {finding.name} {finding.message}"
    return diagnostic


def _location(loc: Location, ctx: RenderContext) -> dict[str, Any]:
    location: dict[str, Any] = {"path": loc.path}
    if loc.line:
        location["range"] = _range(loc, ctx)
    return location


def _range(loc: Location, ctx: RenderContext) -> dict[str, Any]:
    if not loc.column:
        return {"start": {"line": loc.line}, "end": {"line": loc.end_line}}
    start_text = ctx.source_lines(loc.path, loc.line)
    start = {"line": loc.line, "column": _byte_column(start_text, loc.column)}
    if not loc.end_column:
        # Up to the end of end_line: the start of the next line, as the rdf proto describes.
        return {"start": start, "end": {"line": loc.end_line + 1, "column": 1}}
    end_text = start_text if loc.end_line == loc.line else ctx.source_lines(loc.path, loc.end_line)
    end = {"line": loc.end_line, "column": _byte_column(end_text, loc.end_column + 1)}
    return {"start": start, "end": end}


def _byte_column(text: str, column: int) -> int:
    """1-based UTF-8 byte column of character ``column``; unknown text counts one byte a char."""
    head = text[: column - 1]
    return len(head.encode("utf-8", "surrogatepass")) + max(0, column - 1 - len(head)) + 1
