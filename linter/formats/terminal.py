"""Human text for a terminal or a CI log: findings grouped per plugin root, each with its hint and
the offending line under a caret, then a one-line summary. Suppressed findings are only counted."""

from __future__ import annotations

from collections.abc import Iterator

from linter.formats.base import REPOSITORY_GROUP, RenderContext, summary_line
from linter.formats.log_text import neutralise
from linter.model import Finding, PluginSummary, Report, Severity

EXCERPT_CAP = 200  # characters of a source line shown at most
_ELLIPSIS = "…"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTICE: "\x1b[36m"}

# File contents and paths are untrusted: control characters (an ESC in a go.mod) must not reach
# the terminal, and neither may a line break (U+2028 and U+2029 included). Tabs stay, so a caret
# lines up under tab-indented code.
_CONTROLS = {c: "\N{REPLACEMENT CHARACTER}"
             for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029) if c != 0x09}


def clean(text: str) -> str:
    return text.translate(_CONTROLS)


def render(report: Report, ctx: RenderContext) -> str:
    lines: list[str] = []
    for title, findings in _groups(report):
        lines.append(_paint(clean(title), _BOLD, ctx.color))
        for finding in findings:
            lines.extend(_finding_lines(finding, ctx))
        lines.append("")
    lines.append(summary_line(report, ctx.fail_on))
    # A CI log runs lines starting with "::" and any "##[": a path or hint line from the repository
    # must not be one (see linter.github.workflow_log; inside Actions the CLI also stops commands around us).
    return neutralise("\n".join(lines)) + "\n"


def _groups(report: Report) -> Iterator[tuple[str, list[Finding]]]:
    """Plugin roots in the order the report lists them, then roots only findings name (sorted),
    then the repository-wide group."""
    by_root: dict[str, list[Finding]] = {}
    for finding in report.active:
        by_root.setdefault(finding.plugin, []).append(finding)
    known = {p.root: p for p in report.plugins}
    order = [p.root for p in report.plugins if p.root]
    order += sorted(root for root in by_root if root and root not in known)
    for root in order:
        if root in by_root:
            yield _group_title(root, known.get(root)), by_root[root]
    if "" in by_root:
        yield REPOSITORY_GROUP, by_root[""]


def _group_title(root: str, plugin: PluginSummary | None) -> str:
    title = f"plugin {root} ({plugin.module})" if plugin is not None and plugin.module else f"plugin {root}"
    version = next((f for f in plugin.krakend if f.name == "version"), None) if plugin is not None else None
    if version is None:
        return title
    if not version.value:
        return f"{title}, KrakenD not known ({version.source})" if version.source else title
    return f"{title}, KrakenD {version.value} from {version.source}"


def _finding_lines(finding: Finding, ctx: RenderContext) -> list[str]:
    colour = _SEVERITY_COLOUR[finding.severity]
    where = _paint(clean(str(finding.location)) + ":", _BOLD, ctx.color) + " " if finding.location.path else ""
    # The severity is a word, not only a colour: logs, NO_COLOR and screen readers lose colour.
    label = _paint(f"{finding.severity.label} {finding.rule}", colour, ctx.color)
    out = [f"{where}{label} {finding.name} {clean(finding.message)}"]
    for number, text in enumerate(finding.hint.splitlines()):
        prefix = "    hint: " if number == 0 else "          "
        out.append(_paint(prefix + clean(text), _DIM, ctx.color))
    if finding.related:
        out.append(_paint("    see also: " + ", ".join(clean(str(loc)) for loc in finding.related), _DIM, ctx.color))
    out.extend(_excerpt(finding, ctx, colour))
    return out


def _excerpt(finding: Finding, ctx: RenderContext, colour: str) -> list[str]:
    loc = finding.location
    if not loc.line:
        return []
    text = clean(ctx.source_lines(loc.path, loc.line))
    if not text.strip():
        return []
    if not loc.column:
        shown, _ = _window(text, 0, 0)
        return [f"    {loc.line} | {shown}"]
    first = loc.column - 1
    last = loc.end_column if loc.end_line == loc.line and loc.end_column else len(text)
    last = max(last, first + 1)
    shown, offset = _window(text, first, last)
    start = first - offset
    if start > len(shown) + 1:
        # the column lies past the part of the line we were given (long lines reach us cut): no caret
        return [f"    {loc.line} | {shown}"]
    width = max(1, min(last - offset, len(shown)) - start)
    pad = "".join("\t" if ch == "\t" else " " for ch in shown[:start])
    pad += " " * max(0, start - len(shown))  # a column just past the end of the line still gets a caret
    caret = _paint("^" * width, colour, ctx.color)
    gutter = " " * (len(str(loc.line)) + 5)
    return [f"    {loc.line} | {shown}", f"{gutter}| {pad}{caret}"]


def _window(text: str, first: int, last: int) -> tuple[str, int]:
    """At most EXCERPT_CAP characters of ``text`` that keep ``first`` (0-based) in view.

    Returns the shown text (with ellipses where cut) and the index in ``text`` that the shown
    text's first character stands for, so callers can place the caret.
    """
    if len(text) <= EXCERPT_CAP:
        return text, 0
    start = 0 if last <= EXCERPT_CAP else max(0, min(first - 10, len(text) - EXCERPT_CAP))
    shown = text[start : start + EXCERPT_CAP]
    prefix = _ELLIPSIS if start else ""
    suffix = _ELLIPSIS if start + EXCERPT_CAP < len(text) else ""
    return prefix + shown + suffix, start - len(prefix)


def _paint(text: str, code: str, enabled: bool) -> str:
    return f"{code}{text}{_RESET}" if enabled and text else text
