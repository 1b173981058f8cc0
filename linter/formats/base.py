"""What every file/text reporter receives, and the small helpers they share.

A reporter is a pure function ``render(report, ctx) -> str``. It never decides pass/fail and never
imports ``linter.rules``: the rule registry, colour choice, ``fail_on`` and a way to read source
lines all arrive in ``RenderContext``, filled in by the CLI.

Positions follow ``linter.model.Location``: 1-based lines and columns, columns count characters
(code points), ``end_column`` is the last character covered (inclusive), and 0 means "the whole
line" (column) or "the whole file" (line). Each format converts to its own convention.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from linter.model import DOCS_URL, Finding, Fix, Report, RuleDoc, RuleMeta, Severity

TOOL_NAME = "krakend-plugin-lint"
TOOL_URL = DOCS_URL
# The ``Report.krakend`` fact that holds the target KrakenD version; its ``source`` says where
# the version was found ("Dockerfile:9", "--krakend-version").
VERSION_FACT = "version"
# Group name in the terminal for findings that belong to no plugin root.
REPOSITORY_GROUP = "repository"


def no_source(path: str, line: int) -> str:
    """The default line reader: nothing is known, so no excerpt is shown."""
    return ""


@dataclass(frozen=True)
class RenderContext:
    rules: tuple[RuleDoc, ...] = ()  # the registry, for SARIF tool.driver.rules and help text
    color: bool = False  # terminal colour; the CLI decides (TTY, --no-color, NO_COLOR)
    fail_on: Severity | None = None  # only changes the wording of the summary line
    source_lines: Callable[[str, int], str] = field(default=no_source)  # (path, line) -> text


Renderer = Callable[[Report, RenderContext], str]


@dataclass(frozen=True)
class Counts:
    errors: int
    warnings: int
    notices: int
    suppressed: int
    plugins: int


def counts(report: Report) -> Counts:
    return Counts(
        errors=report.count(Severity.ERROR),
        warnings=report.count(Severity.WARNING),
        notices=report.count(Severity.NOTICE),
        suppressed=len(report.suppressed),
        plugins=len(report.plugins),
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def target_text(report: Report) -> str:
    """``KrakenD 2.7.0 from Dockerfile:9``, or "" when no version is known; when the plugins'
    deployments target different releases, ``KrakenD 2.7.0 and 2.9.0, per plugin``."""
    versions = sorted({f.value for p in report.plugins for f in p.krakend if f.name == VERSION_FACT and f.value},
                      key=lambda v: tuple(int(x) if x.isdigit() else 0 for x in v.split(".")))
    if len(versions) > 1:
        return f"KrakenD {', '.join(versions[:-1])} and {versions[-1]}, per plugin"
    for fact in report.krakend:
        if fact.name == VERSION_FACT and fact.value:
            return f"KrakenD {fact.value} from {fact.source}" if fact.source else f"KrakenD {fact.value}"
    return ""


def summary_line(report: Report, fail_on: Severity | None = None) -> str:
    """One line for people: counts, suppressed, plugin count, target KrakenD, fail-on hits."""
    c = counts(report)
    if c.errors or c.warnings or c.notices:
        text = f"{plural(c.errors, 'error')}, {plural(c.warnings, 'warning')}, {plural(c.notices, 'notice')}"
    else:
        text = "no problems found"
    if c.suppressed:
        text += f" ({c.suppressed} suppressed)"
    text += f" in {plural(c.plugins, 'plugin')}"
    target = target_text(report)
    if target:
        text += f" ({target})"
    # With the default fail-on (error) the error count already says it; lower levels need the sum.
    if fail_on is not None and fail_on < Severity.ERROR:
        blocking = sum(1 for f in report.active if f.severity >= fail_on)
        if blocking:
            text += f"; {blocking} at or above fail-on {fail_on.label}"
    return text


def message_with_hint(finding: Finding) -> str:
    """The message and, on its own line, how to fix it (for formats with a single text field)."""
    return f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message


def rule_docs(ctx: RenderContext, findings: Iterable[Finding]) -> tuple[RuleDoc, ...]:
    """The registry sorted by ID, plus a bare entry for any rule a finding names but the
    registry lacks, so every result can point at a rule descriptor."""
    by_id = {doc.meta.id: doc for doc in ctx.rules}
    for f in findings:
        if f.rule not in by_id:
            by_id[f.rule] = RuleDoc(RuleMeta(f.rule, f.name, f.name, f.severity), "")
    return tuple(by_id[key] for key in sorted(by_id))


def usable_fix(finding: Finding) -> Fix | None:
    """The finding's fix when it names real lines (a fix at line 0 cannot be applied)."""
    fix = finding.fix
    return fix if fix is not None and fix.line >= 1 else None
