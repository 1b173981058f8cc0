"""Scoring the linter against the reviewer: verdicts, the truth of each finding, and totals.

* The linter's verdict: FAIL when any active (not suppressed) finding is an error, WARN when any is
  a warning, else PASS; CRASH when it gave no report (exit 3, timeout, no JSON).
* A finding's truth: the reviewer's ``[[repo.finding]]`` judgment matching its rule and path (and
  line, when the judgment gives one); otherwise an error on a FAIL repo in a file of a
  ``[[repo.problem]]`` is true, an error on a repo the reviewer does not FAIL is false, a warning on a
  PASS repo is false, and anything else is unjudged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmarks.realworld.corpus import VERDICTS, Entry, Judgment
from benchmarks.realworld.run import Finding, LintRun

CRASH = "CRASH"
LINTER_VERDICTS = (*VERDICTS, CRASH)
TRUE, FALSE, UNJUDGED = "true", "false", "unjudged"


@dataclass(frozen=True)
class Scored:
    finding: Finding
    truth: str  # TRUE | FALSE | UNJUDGED
    why: str  # the judgment's why, or how the truth was inferred


@dataclass
class RepoResult:
    entry: Entry
    skipped: str = ""  # non-empty: why the repo was not run
    run: LintRun | None = None
    verdict: str = ""  # the linter's: PASS | WARN | FAIL | CRASH ("" when skipped)
    scored: list[Scored] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # files of the commit the mirror lacks (not linted)

    @property
    def agrees(self) -> bool:
        return not self.skipped and self.verdict == self.entry.verdict

    def active(self, severity: str) -> list[Scored]:
        return [s for s in self.scored if s.finding.severity == severity]

    def count(self, severity: str, truth: str) -> int:
        return sum(1 for s in self.active(severity) if s.truth == truth)

    def as_dict(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "name": entry.name, "commit": entry.commit, "kind": entry.kind, "source": entry.source,
            "reviewer": entry.verdict, "linter": self.verdict, "agrees": self.agrees, "skipped": self.skipped,
            "crash": self.run.crash if self.run else "",
            "exit_code": self.run.exit_code if self.run else None,
            "seconds": round(self.run.seconds, 2) if self.run else None,
            "counts": {sev: len(self.active(sev)) for sev in ("error", "warning", "notice")}
            | {"false_errors": self.count("error", FALSE), "false_warnings": self.count("warning", FALSE)},
            "findings": [{"rule": s.finding.rule, "severity": s.finding.severity, "path": s.finding.path,
                          "line": s.finding.line, "message": s.finding.message, "truth": s.truth, "why": s.why}
                         for s in self.scored],
            "absent": self.absent,
            "suppressed": len(self.run.findings) - len(self.scored) if self.run else 0,
        }


def linter_verdict(run: LintRun) -> str:
    if run.crash:
        return CRASH
    severities = {f.severity for f in run.findings if not f.suppressed}
    return "FAIL" if "error" in severities else "WARN" if "warning" in severities else "PASS"


def matching_judgment(finding: Finding, judgments: Sequence[Judgment]) -> Judgment | None:
    """The first judgment with the finding's rule and path, and its line when the judgment gives one."""
    for judgment in judgments:
        if judgment.rule == finding.rule and judgment.path == finding.path and (
                judgment.line is None or judgment.line == finding.line):
            return judgment
    return None


def in_problem_file(finding: Finding, entry: Entry) -> bool:
    """Whether the finding is in a file (or under a folder) named by one of the entry's problems."""
    for problem in entry.problems:
        if finding.path == problem.path or finding.path.startswith(problem.path.rstrip("/") + "/"):
            return True
    return False


def truth_of(finding: Finding, entry: Entry) -> tuple[str, str]:
    judgment = matching_judgment(finding, entry.judgments)
    if judgment is not None:
        return (TRUE if judgment.truth else FALSE), judgment.why
    if finding.severity == "error":
        if entry.verdict != "FAIL":
            return FALSE, f"unjudged error on a {entry.verdict} repo"
        if in_problem_file(finding, entry):
            return TRUE, "in the file of a reviewer's problem"
    if finding.severity == "warning":
        if entry.verdict == "PASS":
            return FALSE, "unjudged warning on a PASS repo"
        if in_problem_file(finding, entry):
            return TRUE, "in the file of a reviewer's problem"
    return UNJUDGED, ""


def score(entry: Entry, run: LintRun) -> RepoResult:
    active = [f for f in run.findings if not f.suppressed]
    scored = [Scored(f, *truth_of(f, entry)) for f in active]
    return RepoResult(entry, run=run, verdict=linter_verdict(run), scored=scored)


# --- totals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    run: int
    skipped: int
    agreed: int
    false_errors: int
    false_error_repos: int
    false_warnings: int
    false_warning_repos: int
    missed_fail: int  # reviewer FAIL, linter PASS or WARN
    missed_warn: int  # reviewer WARN, linter PASS
    crashes: int
    confusion: dict[str, dict[str, int]]  # reviewer verdict -> linter verdict -> repos
    false_by_rule: dict[str, int]  # "KP101 error" -> false findings, most first

    @property
    def agreement(self) -> float:
        return self.agreed / self.run if self.run else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "agreement": round(self.agreement, 4)}


def totals(results: Sequence[RepoResult]) -> Totals:
    ran = [r for r in results if not r.skipped]
    false_errors = [r.count("error", FALSE) for r in ran]
    false_warnings = [r.count("warning", FALSE) for r in ran]
    confusion = {rv: dict.fromkeys(LINTER_VERDICTS, 0) for rv in VERDICTS}
    for r in ran:
        confusion[r.entry.verdict][r.verdict] += 1
    return Totals(
        run=len(ran),
        skipped=len(results) - len(ran),
        agreed=sum(1 for r in ran if r.agrees),
        false_errors=sum(false_errors),
        false_error_repos=sum(1 for n in false_errors if n),
        false_warnings=sum(false_warnings),
        false_warning_repos=sum(1 for n in false_warnings if n),
        missed_fail=sum(1 for r in ran if r.entry.verdict == "FAIL" and r.verdict in ("PASS", "WARN")),
        missed_warn=sum(1 for r in ran if r.entry.verdict == "WARN" and r.verdict == "PASS"),
        crashes=sum(1 for r in ran if r.verdict == CRASH),
        confusion=confusion,
        false_by_rule=false_by_rule(ran),
    )


def false_by_rule(results: Sequence[RepoResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        for s in result.scored:
            if s.truth == FALSE:
                key = f"{s.finding.rule} {s.finding.severity}"
                counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
