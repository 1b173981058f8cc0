"""What the GitHub channels share: ordering by importance, size budgets, finding views."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from linter.formats.markdown import Md
from linter.github.diff import PullDiff, should_report
from linter.model import Finding, Report, RuleDoc, Severity

CHECK_NAME = "krakend-plugin-lint"
COMMENT_LIMIT = 65_536  # issue/PR comment and review bodies (GitHub: "maximum is 65536 characters")
CHECK_TEXT_LIMIT = 65_535  # check run output.summary and output.text
STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes per step
SAFETY = 512  # room left under every limit (multi-byte surprises, a trailing newline)
CLIP = 1_000  # longest message or hint shown in a list; the full text is in the log, JSON and SARIF

SourceLines = Callable[[str, int], str]


def at_or_above(findings: Iterable[Finding], level: Severity | None) -> list[Finding]:
    return [] if level is None else [f for f in findings if f.severity >= level]


def verdict(report: Report, fail_on: Severity | None) -> str:
    """"fail" when an active finding is at or above fail-on (the CLI's exit-code rule), else "pass"."""
    return "fail" if at_or_above(report.active, fail_on) else "pass"


def by_importance(findings: Iterable[Finding], diff: PullDiff | None = None) -> list[Finding]:
    """Most severe first; within a severity, what the PR changed first; then by position."""

    def key(f: Finding) -> tuple[int, int, str, int, int, str]:
        changed = diff is not None and should_report(diff, f.location, "diff_context")
        loc = f.location
        return (-int(f.severity), 0 if changed else 1, loc.path, loc.line, loc.column, f.rule)

    return sorted(findings, key=key)


def comment_keys(findings: Sequence[Finding]) -> dict[int, str]:
    """A marker key per finding (by index): its fingerprint, with ``.N`` for repeats.

    Fingerprints ignore line numbers on purpose (they survive edits), so the same problem twice in
    one file shares one; the occurrence number keeps both comments apart.
    """
    seen: dict[str, int] = {}
    keys: dict[int, str] = {}
    ordered = sorted(range(len(findings)), key=lambda i: findings[i].position_key())
    for i in ordered:
        fp = findings[i].fingerprint
        seen[fp] = seen.get(fp, 0) + 1
        keys[i] = fp if seen[fp] == 1 else f"{fp}.{seen[fp]}"
    return keys


def clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def view(finding: Finding) -> dict[str, Any]:
    """The fields templates show, raw (the templates escape them)."""
    loc = finding.location
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.label,
        "path": loc.path,
        "line": loc.line,
        "location": str(loc),
        "message": clip(finding.message),
        "hint": clip(finding.hint),
        "plugin": finding.plugin,
    }


def rule_map(rules: Iterable[RuleDoc]) -> dict[str, RuleDoc]:
    return {doc.meta.id: doc for doc in rules}


def description(rules: Mapping[str, RuleDoc], rule: str) -> Md:
    """The rule's first documentation paragraph: our own Markdown, so it is trusted as is."""
    doc = rules.get(rule)
    return Md(clip(doc.description, 2_000)) if doc and doc.doc else Md("")


def fit(render: Callable[[int], str], total: int, limit: int, *, measure: Callable[[str], int] = len) -> str:
    """The longest rendering that stays under ``limit`` (see ``fit_count``)."""
    return fit_count(render, total, limit, measure=measure)[0]


def fit_count(render: Callable[[int], str], total: int, limit: int, *,
              measure: Callable[[str], int] = len) -> tuple[str, int]:
    """``render(n)`` lists the first n of ``total`` items and says how many more there are; find
    the largest n whose rendering fits in ``limit`` (binary search). Returns (text, n)."""
    whole = render(total)
    if measure(whole) <= limit:
        return whole, total  # the usual case: everything fits, one rendering
    best = render(0)
    if measure(best) > limit:
        return best[: max(0, limit - 1)], 0
    lo, hi = 0, total - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        text = render(mid)
        if measure(text) <= limit:
            lo, best = mid, text
        else:
            hi = mid - 1
    return best, lo


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "replace"))


def digest(*parts: object) -> str:
    raw = "\0".join(str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def count_line(report: Report) -> dict[str, int]:
    return {
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "notices": report.count(Severity.NOTICE),
        "suppressed": len(report.suppressed),
    }
