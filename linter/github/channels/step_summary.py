"""The job summary (``$GITHUB_STEP_SUMMARY``): the token-free, full report of the run.

A Markdown table per plugin, the KrakenD version checked against and where it came from, the
verdict, and what the GitHub channels could not do. GitHub refuses a step summary over 1 MiB, so
the tables are cut to fit and say how many findings were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from linter.formats.base import target_text
from linter.formats.markdown import Md, code
from linter.github.channels.common import (
    SAFETY,
    STEP_SUMMARY_LIMIT,
    by_importance,
    count_line,
    fit,
    utf8_len,
    view,
)
from linter.github.channels.state import ChannelSkipError, Need, RunState
from linter.github.markdown import render
from linter.model import Finding, Report, Severity


def render_summary(report: Report, verdict: str, fail_on: Severity | None, notes: Sequence[str] = (),
                   limit: int = STEP_SUMMARY_LIMIT - SAFETY) -> str:
    ordered = by_importance(report.active)
    values = {
        "verdict": verdict,
        "fail_on": fail_on.label if fail_on else "never",
        "counts": count_line(report),
        "plugins": len(report.plugins),
        "target": target_text(report),
        "facts": [{"name": f.name, "value": f.value, "source": f.source} for f in report.krakend],
        "notes": list(notes),
    }

    def attempt(n: int) -> str:
        return render("step_summary.md.j2", groups=_groups(ordered[:n]), more=len(ordered) - n, **values)

    return fit(attempt, len(ordered), limit, measure=utf8_len)


def _groups(findings: Sequence[Finding]) -> list[dict[str, object]]:
    """One table per plugin root, in the order their first (most important) finding appears."""
    groups: dict[str, list[dict[str, object]]] = {}
    for finding in findings:
        groups.setdefault(finding.plugin, []).append(view(finding))
    return [{"title": _title(root), "rows": rows} for root, rows in groups.items()]


def _title(root: str) -> Md:
    return Md(f"Plugin {code(root)}") if root else Md("Repository")


def publish(path: str, report: Report, verdict: str, fail_on: Severity | None, notes: Sequence[str] = ()) -> str:
    """Append our summary to the step summary file; returns a problem, or "" when written.

    Another tool may have written to the same step's summary: our part gets what is left of 1 MiB.
    """
    target = Path(path)
    try:
        existing = target.stat().st_size if target.exists() else 0
        room = STEP_SUMMARY_LIMIT - SAFETY - existing
        if room < 4_096:
            return "the job summary is already full"
        text = render_summary(report, verdict, fail_on, notes, limit=room)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        return f"cannot write the job summary: {err.strerror}"
    return ""


class StepSummary:
    """Runs last: it lists what the other channels could not do."""

    name = "gh-step-summary"
    needs: frozenset[Need] = frozenset()
    scope = ""

    def run(self, state: RunState) -> None:
        if not state.context.step_summary:
            raise ChannelSkipError("GITHUB_STEP_SUMMARY is not set")
        problem = publish(state.context.step_summary, state.report, state.verdict, state.options.fail_on, state.notes)
        if problem:
            raise ChannelSkipError(problem)
