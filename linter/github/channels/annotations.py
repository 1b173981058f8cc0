"""Workflow-command annotations (``::error file=...,line=...::message``) on standard output.

They need no token, so they work on fork PRs. The runner shows at most 10 annotations of each
level per step and drops the rest silently, so we choose: most severe first, lines the PR changed
first, and when something had to be left out, one notice says how many and where to find them.
Escaping follows GitHub's rules: ``%``, CR and LF in the message; also ``:`` and ``,`` in properties;
and ``##[`` (the runner's older command syntax, matched anywhere in a line) is broken everywhere.
The lines go out through ``linter.github.workflow_log.write_trusted``: inside Actions every other line of
the log is neutralised, these are our own commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from linter.github.channels.common import by_importance, clip
from linter.github.channels.state import Need, RunState
from linter.github.diff import PullDiff
from linter.github.markdown import command_data, command_property
from linter.github.workflow_log import break_v1, write_trusted
from linter.model import Finding, Severity

PER_LEVEL = 10
COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}
_MESSAGE_LIMIT = 4_000


@dataclass(frozen=True)
class AnnotationResult:
    printed: int
    omitted: int


def select(findings: Iterable[Finding], diff: PullDiff | None = None) -> tuple[list[Finding], int]:
    """The findings that fit the per-level budget (one notice slot is kept for the overflow line)."""
    ordered = by_importance(findings, diff)
    chosen: list[Finding] = []
    used = dict.fromkeys(COMMAND, 0)
    for finding in ordered:
        if used[finding.severity] < PER_LEVEL:
            chosen.append(finding)
            used[finding.severity] += 1
    omitted = len(ordered) - len(chosen)
    if omitted and used[Severity.NOTICE] == PER_LEVEL:
        # The overflow notice needs a notice slot: give back the least important notice.
        last = max(i for i, f in enumerate(chosen) if f.severity == Severity.NOTICE)
        chosen.pop(last)
        omitted += 1
    return chosen, omitted


def command(finding: Finding) -> str:
    loc = finding.location
    props = [("file", loc.path)]
    if loc.line > 0:
        props.append(("line", str(loc.line)))
        if loc.end_line > loc.line:
            props.append(("endLine", str(loc.end_line)))
        elif loc.column > 0:
            # Columns mean something only on a single line (as in check-run annotations).
            props.append(("col", str(loc.column)))
            props.append(("endColumn", str(max(loc.end_column, loc.column))))
    props.append(("title", f"{finding.rule} {finding.name}"))
    text = finding.message + (f"\nHow to fix: {finding.hint}" if finding.hint else "")
    rendered = ",".join(f"{key}={_property(value)}" for key, value in props)
    return f"::{COMMAND[finding.severity]} {rendered}::{_data(clip(text, _MESSAGE_LIMIT))}"


def _data(value: str) -> str:
    return break_v1(command_data(value))


def _property(value: str) -> str:
    return break_v1(command_property(value))


def lines(findings: Iterable[Finding], diff: PullDiff | None = None,
          where: str = "the job summary") -> tuple[list[str], int]:
    """The annotation command lines to print, and how many findings were left out."""
    chosen, omitted = select(findings, diff)
    out = [command(finding) for finding in chosen]
    if omitted:
        text = f"{omitted} more findings are not annotated (GitHub shows 10 per level per step); see {where}"
        out.append(f"::notice title={_property('krakend-plugin-lint')}::{_data(text)}")
    return out, omitted


def emit(findings: Iterable[Finding], out: TextIO, diff: PullDiff | None = None,
         where: str = "the job summary") -> AnnotationResult:
    printed, omitted = lines(findings, diff, where)
    if printed:
        write_trusted(out, "".join(line + "\n" for line in printed))
    out.flush()
    return AnnotationResult(printed=len(printed), omitted=omitted)


class Annotations:
    """Workflow-command annotations for the active findings at or above annotate-on."""

    name = "gh-annotations"
    needs: frozenset[Need] = frozenset()
    scope = ""

    def run(self, state: RunState) -> None:
        level = state.options.annotate_on
        findings = [f for f in state.report.active if level is not None and f.severity >= level]
        emit(findings, state.out, state.diff)
