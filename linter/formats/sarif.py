"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

GitHub needs, per rule, an ID, short and full descriptions of at most 1024 characters and help
text; per result a message, one location with a repository-relative URI, and
``partialFingerprints.primaryLocationLineHash`` (the REST upload does not compute it, and without
it every run opens new alerts). SARIF regions end one column past the last character; ours end on
it. A whole-file finding (line 0) has no region.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from linter.formats.base import TOOL_NAME, TOOL_URL, RenderContext, message_with_hint, rule_docs, usable_fix
from linter.model import Finding, Fix, Location, Report, RuleDoc, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
TEXT_CAP = 1024  # GitHub's limit for shortDescription and fullDescription
NAME_CAP = 255  # and for a rule's name
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}
_SUPPRESSION_KINDS = {"inline": "inSource", "config": "external"}


def render(report: Report, ctx: RenderContext) -> str:
    return json.dumps(build(report, ctx), indent=2, ensure_ascii=False) + "\n"


def build(report: Report, ctx: RenderContext) -> dict[str, Any]:
    docs = rule_docs(ctx, report.findings)
    index = {doc.meta.id: i for i, doc in enumerate(docs)}
    seen: dict[str, int] = {}
    results = []
    for finding in report.findings:
        seen[finding.fingerprint] = seen.get(finding.fingerprint, 0) + 1
        results.append(_result(finding, index[finding.rule], seen[finding.fingerprint]))
    driver: dict[str, Any] = {"name": TOOL_NAME}
    if report.tool_version:
        driver["version"] = report.tool_version
    driver["informationUri"] = TOOL_URL
    driver["rules"] = [_rule(doc) for doc in docs]
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The directory krakend-plugin-lint was run in."}},
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(doc: RuleDoc) -> dict[str, Any]:
    meta = doc.meta
    full = doc.description or meta.summary
    rule: dict[str, Any] = {
        "id": meta.id,
        "name": _cap(meta.name, NAME_CAP),
        "shortDescription": {"text": _cap(meta.summary, TEXT_CAP)},
        "fullDescription": {"text": _cap(full, TEXT_CAP)},
        "help": {"text": doc.doc.strip() or meta.summary, "markdown": doc.doc.strip() or meta.summary},
        "helpUri": meta.help_url,
        "defaultConfiguration": {"level": LEVELS[meta.default_severity]},
        "properties": {"tags": ["krakend", "plugin", meta.family]},
    }
    return rule


def _result(finding: Finding, rule_index: int, occurrence: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message_with_hint(finding)},
        "locations": [_location(finding.location)],
    }
    if finding.related:
        result["relatedLocations"] = [{"id": i, **_location(loc)} for i, loc in enumerate(finding.related, start=1)]
    # GitHub's own fingerprints carry ":<n>" so equal hashes in one file stay separate alerts.
    result["partialFingerprints"] = {"primaryLocationLineHash": f"{finding.fingerprint}:{occurrence}"}
    fix = usable_fix(finding)
    if fix is not None:
        result["fixes"] = [_fix(finding.location.path, fix, finding.hint)]
    if finding.suppressed_by:
        kind = _SUPPRESSION_KINDS.get(finding.suppressed_by, "external")
        result["suppressions"] = [{"kind": kind, "status": "accepted"}]
    return result


def _location(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.path)}
    region = _region(loc)
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _artifact(path: str) -> dict[str, str]:
    # A relative URI reference: spaces and non-ASCII are percent-encoded, "/" stays.
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(loc: Location) -> dict[str, int]:
    if not loc.line:
        return {}
    region = {"startLine": loc.line}
    if loc.column:
        region["startColumn"] = loc.column
    region["endLine"] = loc.end_line
    if loc.column and loc.end_column:
        region["endColumn"] = loc.end_column + 1
    return region


def _fix(path: str, fix: Fix, hint: str) -> dict[str, Any]:
    # A region with lines only covers those lines' text without the last line break, so the
    # replacement goes in without a trailing newline.
    replacement = {
        "deletedRegion": {"startLine": fix.line, "endLine": fix.last_line},
        "insertedContent": {"text": fix.replacement},
    }
    return {
        "description": {"text": hint or f"replace line {fix.line}"},
        "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": [replacement]}],
    }


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
