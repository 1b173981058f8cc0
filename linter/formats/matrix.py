"""The compatibility matrix as text: a terminal table, a Markdown table, and its JSON form.

The rows come folded into spans by ``linter.krakend.matrix`` (consecutive releases with the same
answers are one line); table cells that hold module paths and reasons are escaped with the one
Markdown escaper, ``linter.formats.markdown.inline``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linter.formats.markdown import inline
from linter.krakend.matrix import MARK_YES, Matrix, build_mark, dependencies_mark, ranges, spans


def summary_lines(matrix: Matrix) -> list[str]:
    """``dependencies compatible: 2.7.0–2.7.2`` and ``build setup compatible: …`` (or ``none``)."""
    deps = ranges([r.version for r in matrix.rows if dependencies_mark(r) == MARK_YES]) or "none"
    build = ranges([r.version for r in matrix.rows if build_mark(r) == MARK_YES]) or "none"
    both = ranges([r.version for r in matrix.rows if r.compatible]) or "none"
    lines = [f"dependencies compatible: {deps}", f"build setup compatible: {build}", f"both: {both}"]
    unknown = sum(1 for r in matrix.rows if not r.reference_source)
    if unknown:
        lines.append(f"{unknown} release{'s' if unknown > 1 else ''} without a reference")
    return lines


def render_terminal(matrix: Matrix, max_reasons: int = 2) -> str:
    header = ("KrakenD", "Go", "dependencies", "build setup", "why not")
    rows = [(s.label, s.go_label, s.dependencies, s.build, _brief(s.reasons, max_reasons)) for s in spans(matrix)]
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) if rows else len(header[i]) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header[:4])) + "  " + header[4]]
    lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    lines.append("")
    lines += summary_lines(matrix) if matrix.rows else [matrix.summary]
    return "\n".join(line.rstrip() for line in lines)


def _brief(reasons: Sequence[str], limit: int) -> str:
    shown = list(reasons[:limit])
    if len(reasons) > limit:
        shown.append(f"and {len(reasons) - limit} more")
    return "; ".join(shown)


def render_markdown(matrix: Matrix, max_reasons: int = 3) -> str:
    lines = [f"**{inline(line)}**  " for line in (summary_lines(matrix) if matrix.rows else [matrix.summary])]
    lines += ["", "| KrakenD | Go | dependencies | build setup | why not |", "|---|---|---|---|---|"]
    for s in spans(matrix):
        lines.append(f"| {s.label} | {s.go_label} | {s.dependencies} | {s.build} | "
                     f"{inline(_brief(s.reasons, max_reasons))} |")
    return "\n".join(lines) + "\n"


def matrix_to_json(matrix: Matrix) -> dict[str, Any]:
    return {
        "summary": matrix.summary,
        "plugin_go": matrix.plugin_go,
        "compatible_ranges": [{"first": a, "last": b} for a, b in matrix.ranges()],
        "dependencies_compatible": ranges([r.version for r in matrix.rows if dependencies_mark(r) == MARK_YES]),
        "build_setup_compatible": ranges([r.version for r in matrix.rows if build_mark(r) == MARK_YES]),
        "rows": [
            {
                "version": r.version,
                "go_version": r.go_version,
                "status": r.status,
                "compatible": r.compatible,
                "go_matches": r.go_matches,
                "reasons": list(r.reasons),
                "module_diffs": [{"module": d.module, "plugin": d.plugin, "krakend": d.krakend}
                                 for d in r.module_diffs],
                "reference_source": r.reference_source,
            }
            for r in matrix.rows
        ],
    }
