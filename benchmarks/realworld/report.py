"""The text the benchmark prints: a line per repository, totals, the confusion matrix, disagreements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from benchmarks.realworld.corpus import VERDICTS
from benchmarks.realworld.score import FALSE, LINTER_VERDICTS, RepoResult, Totals

CUT = 160
REASON_LINES = 3
MAX_FINDINGS = 25  # errors and warnings shown per disagreement; the JSON results hold them all


def cut(text: str, width: int = CUT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def repo_line(result: RepoResult, width: int) -> str:
    entry = result.entry
    head = f"{entry.name.ljust(width)}  {entry.kind:<11}  reviewer {entry.verdict:<4}"
    if result.skipped:
        return f"{head}  skipped ({result.skipped})"
    mark = "agree" if result.agrees else "DISAGREE"
    counts = (f"E{len(result.active('error'))} W{len(result.active('warning'))} N{len(result.active('notice'))}"
              f"  false E{result.count('error', FALSE)} W{result.count('warning', FALSE)}")
    absent = f"  ({len(result.absent)} files not in the mirror)" if result.absent else ""
    return f"{head}  linter {result.verdict:<5}  {mark:<8}  {counts}{absent}"


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else f"{part}/0"


def totals_lines(t: Totals) -> list[str]:
    return [
        f"repos run {t.run}, skipped {t.skipped}",
        f"verdict agreement   {percent(t.agreed, t.run)}",
        f"false errors        {t.false_errors} in {t.false_error_repos} repos",
        f"false warnings      {t.false_warnings} in {t.false_warning_repos} repos",
        f"misses              {t.missed_fail} FAIL not failed, {t.missed_warn} WARN passed",
        f"crashes             {t.crashes}",
        "false by rule       " + (", ".join(f"{rule} x{n}" for rule, n in t.false_by_rule.items()) or "none"),
    ]


def confusion_lines(t: Totals) -> list[str]:
    lines = ["reviewer \\ linter  " + "".join(f"{v:>7}" for v in LINTER_VERDICTS)]
    for reviewer in VERDICTS:
        row = t.confusion[reviewer]
        lines.append(f"{reviewer:<18}  " + "".join(f"{row[v]:>7}" for v in LINTER_VERDICTS))
    return lines


def disagreement_lines(results: Sequence[RepoResult], max_findings: int = MAX_FINDINGS) -> list[str]:
    lines: list[str] = []
    for result in results:
        if result.skipped or result.agrees:
            continue
        entry = result.entry
        lines.append(f"- {entry.name} ({entry.kind}, {entry.source}): reviewer {entry.verdict}, "
                     f"linter {result.verdict}")
        reasons = [ln.strip() for ln in entry.reasons.splitlines() if ln.strip()][:REASON_LINES]
        lines += [f"    reviewer: {cut(ln)}" for ln in reasons] or ["    reviewer: (no reasons given)"]
        lines += [f"    problem: {p.severity} {p.path}:{p.line} {cut(p.what, CUT - 30)}" for p in entry.problems]
        if result.absent:
            lines.append(f"    not in the mirror (not linted): {cut(', '.join(result.absent))}")
        if result.run is not None and result.run.crash:
            lines.append(f"    linter crashed: {cut(result.run.crash)}")
        shown = [s for s in result.scored if s.finding.severity in ("error", "warning")]
        for s in shown[: max_findings or None]:
            f = s.finding
            mark = {"true": "", "false": " [false]", "unjudged": ""}.get(s.truth, "")
            lines.append("    " + cut(f"{f.severity} {f.rule} {f.path}:{f.line} {f.message}") + mark)
        if max_findings and len(shown) > max_findings:
            lines.append(f"    ... {len(shown) - max_findings} more errors and warnings (all in the --json results)")
        if not shown and not (result.run and result.run.crash):
            lines.append("    linter: no errors or warnings")
    return lines


def change_lines(results: Sequence[RepoResult], baseline: Mapping[str, Any]) -> list[str]:
    """What moved since an earlier ``--json`` file, on the repositories run in both: the totals, and
    each repository whose linter verdict changed."""
    old = {r.get("name"): r for r in baseline.get("repos", []) if isinstance(r, dict) and not r.get("skipped")}
    both = [r for r in results if not r.skipped and r.entry.name in old]
    now = _summary([r.as_dict() for r in both])
    before = _summary([old[r.entry.name] for r in both])
    lines = [f"on the {len(both)} repositories run both times:"]
    lines += [f"{key:<18}  {before[key]} -> {now[key]}" for key in now]
    for result in both:
        was = old[result.entry.name]
        if was.get("linter") == result.verdict:
            continue
        mark = "now agrees" if result.agrees else "agreed before" if was.get("agrees") else "still disagrees"
        lines.append(f"{result.entry.name}: linter {was.get('linter')} -> {result.verdict} ({mark}, "
                     f"reviewer {result.entry.verdict})")
    return lines


def _summary(repos: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    def total(key: str) -> int:
        return sum(int(r.get("counts", {}).get(key, 0)) for r in repos)

    return {"agreed": sum(1 for r in repos if r.get("agrees")),
            "false errors": total("false_errors"),
            "false warnings": total("false_warnings"),
            "misses": sum(1 for r in repos if (r.get("reviewer"), r.get("linter")) in _MISSES),
            "crashes": sum(1 for r in repos if r.get("linter") == "CRASH")}


_MISSES = {("FAIL", "PASS"), ("FAIL", "WARN"), ("WARN", "PASS")}


def render(results: Sequence[RepoResult], t: Totals, notes: Sequence[str], max_findings: int = MAX_FINDINGS,
           baseline: tuple[str, Mapping[str, Any]] | None = None) -> str:
    width = max((len(r.entry.name) for r in results), default=10)
    out = [*notes, ""] if notes else []
    out += [repo_line(r, width) for r in results]
    out += ["", "== totals ==", *totals_lines(t), "", "== confusion (repos) ==", *confusion_lines(t)]
    dis = disagreement_lines(results, max_findings)
    count = sum(1 for r in results if not r.skipped and not r.agrees)
    out += ["", f"== disagreements ({count}) ==", *(dis or ["none"])]
    if baseline is not None:
        out += ["", f"== changes since {baseline[0]} ==", *change_lines(results, baseline[1])]
    return "\n".join(out)
