"""Replay cases: load and validate `tests/replay/<case>/case.toml`, lint its twins in-process.

Shared by `tests/replay/test_replay.py` (the suite) and `benchmarks/replay.py` (the table).
The format is described in `tests/replay/README.md`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.cli import build_parser
from linter.commands.options import settings_from_args
from linter.engine import run
from linter.model import Finding, Severity
from tests.helpers import chdir

REPLAY = Path(__file__).resolve().parent
TRACKERS = ("krakend-ce", "lura", "krakend-cobra", "krakend-docs")
TWINS = ("broken", "fixed")
ORACLE_VALUES = ("possible", "impossible")
_KEYS = frozenset({
    "url", "tracker", "number", "title", "facts", "real_error", "args", "catchable", "why_not",
    "expect", "known_gap", "oracle",
})
_EXPECT_KEYS = frozenset({"rule", "path", "line"})
_RULE_ID = re.compile(r"KP\d{3}")


class CaseError(ValueError):
    """A case folder or its case.toml does not follow the format; the message names the file."""


@dataclass(frozen=True)
class Expect:
    """A finding the broken twin must produce (severity error or warning)."""

    rule: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.rule} {self.path}:{self.line}"


@dataclass(frozen=True)
class Case:
    folder: Path
    url: str
    tracker: str
    number: int
    title: str
    facts: tuple[str, ...]
    real_error: str
    args: tuple[str, ...]
    catchable: bool
    why_not: str
    expects: tuple[Expect, ...]
    known_gap: str
    oracle: str

    @property
    def name(self) -> str:
        return self.folder.name


def case_dirs(root: Path = REPLAY) -> list[Path]:
    """Every folder under ``root`` that holds a case.toml, sorted by name."""
    return sorted(p.parent for p in root.glob("*/case.toml"))


def load_case(folder: Path) -> Case:
    """Read and validate ``folder/case.toml``; a bad case raises CaseError naming the file."""
    source = folder / "case.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CaseError(f"{source}: cannot be read: {err}") from None
    problems = _problems(folder, data)
    if problems:
        raise CaseError(f"{source}: " + "; ".join(problems))
    return Case(
        folder=folder,
        url=data["url"],
        tracker=data["tracker"],
        number=data["number"],
        title=data["title"],
        facts=tuple(data["facts"]),
        real_error=data["real_error"],
        args=tuple(data.get("args", ())),
        catchable=data["catchable"],
        why_not=data.get("why_not", ""),
        expects=tuple(Expect(e["rule"], e["path"], e["line"]) for e in data.get("expect", ())),
        known_gap=data.get("known_gap", ""),
        oracle=data.get("oracle", ""),
    )


def _problems(folder: Path, data: Mapping[str, Any]) -> list[str]:
    problems = [f"unknown key {key!r}" for key in sorted(set(data) - _KEYS)]
    problems += _field_problems(data)
    if problems:
        return problems
    problems += _identity_problems(folder, data)
    problems += _verdict_problems(data)
    problems += [f"missing folder {twin}/" for twin in TWINS if not (folder / twin).is_dir()]
    for index, item in enumerate(data.get("expect", ()), 1):
        problems += [f"[[expect]] #{index}: {p}" for p in _expect_problems(folder, item)]
    return problems


def _field_problems(data: Mapping[str, Any]) -> list[str]:
    wanted: dict[str, tuple[type, bool]] = {
        "url": (str, True), "tracker": (str, True), "number": (int, True), "title": (str, True),
        "facts": (list, True), "real_error": (str, True), "catchable": (bool, True), "args": (list, False),
        "why_not": (str, False), "expect": (list, False), "known_gap": (str, False), "oracle": (str, False),
    }
    problems = []
    for key, (kind, required) in wanted.items():
        if key not in data:
            problems += [f"missing key {key!r}"] if required else []
        elif not isinstance(data[key], kind) or (kind is int and isinstance(data[key], bool)):
            problems.append(f"{key!r} must be a {kind.__name__}")
    for key in ("facts", "args"):
        if isinstance(data.get(key), list) and not all(isinstance(x, str) for x in data[key]):
            problems.append(f"{key!r} must hold strings only")
    for key in ("title", "real_error"):
        if isinstance(data.get(key), str) and not data[key].strip():
            problems.append(f"{key!r} is empty")
    if data.get("facts") == []:
        problems.append("'facts' is empty")
    return problems


def _identity_problems(folder: Path, data: Mapping[str, Any]) -> list[str]:
    tracker, number = data["tracker"], data["number"]
    problems = []
    if tracker not in TRACKERS:
        problems.append(f"tracker {tracker!r} is not one of {', '.join(TRACKERS)}")
    if folder.name != f"{tracker}-{number}":
        problems.append(f"folder name {folder.name!r} must be '{tracker}-{number}'")
    if not re.fullmatch(rf"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull|discussions)/{number}", data["url"]):
        problems.append(f"url {data['url']!r} is not a GitHub issue, pull request or discussion numbered {number}")
    if data.get("oracle", "") not in ("", *ORACLE_VALUES):
        problems.append(f"oracle {data['oracle']!r} is not one of {', '.join(ORACLE_VALUES)}")
    return problems


def _verdict_problems(data: Mapping[str, Any]) -> list[str]:
    expects = data.get("expect", [])
    if data["catchable"]:
        problems = [] if expects else ["a catchable case needs at least one [[expect]]"]
        if data.get("why_not", "").strip():
            problems.append("'why_not' is only for catchable = false")
        return problems
    problems = [] if data.get("why_not", "").strip() else ["catchable = false needs a non-empty 'why_not'"]
    if expects:
        problems.append("catchable = false must not list [[expect]] findings")
    if data.get("known_gap", ""):
        problems.append("'known_gap' is only for catchable cases the linter misses")
    return problems


def _expect_problems(folder: Path, item: Any) -> list[str]:
    if not isinstance(item, dict):
        return ["must be a table"]
    problems = [f"unknown key {key!r}" for key in sorted(set(item) - _EXPECT_KEYS)]
    problems += [f"missing key {key!r}" for key in sorted(_EXPECT_KEYS - set(item))]
    if problems:
        return problems
    rule, path, line = item["rule"], item["path"], item["line"]
    if not isinstance(rule, str) or not _RULE_ID.fullmatch(rule):
        problems.append(f"rule {rule!r} is not a rule ID like KP101")
    if not isinstance(path, str) or not (folder / "broken" / path).is_file():
        problems.append(f"path {path!r} is not a file under broken/")
    if not isinstance(line, int) or isinstance(line, bool) or line < 0:
        problems.append(f"line {line!r} must be a whole number (0 = the whole file)")
    return problems


def twin_args(case: Case) -> list[str]:
    """The case's extra CLI arguments; `@/x` names a file relative to the case folder."""
    return [str((case.folder / a[2:]).resolve()) if a.startswith("@/") else a for a in case.args]


def lint_twin(case: Case, twin: str, cache: Path) -> list[Finding]:
    """Run the engine offline inside ``<case>/<twin>`` as `check --offline .` would; unsuppressed findings."""
    args = build_parser().parse_args(["check", "--offline", "--cache-dir", str(cache), *twin_args(case)])
    with chdir(case.folder / twin):
        result = run(settings_from_args(args), Path.cwd())
    return [f for f in result.report.findings if not f.suppressed_by]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that would stop or warn a deployment: severity error or warning."""
    return [f for f in findings if f.severity >= Severity.WARNING]


def missing(case: Case, findings: Iterable[Finding]) -> list[Expect]:
    """The expected findings that are not among the error or warning findings."""
    got = {(f.rule, f.location.path, f.location.line) for f in blocking(findings)}
    return [e for e in case.expects if (e.rule, e.path, e.line) not in got]


def describe(finding: Finding) -> str:
    loc = finding.location
    return f"{finding.rule} {loc.path}:{loc.line} {finding.severity.label}: {finding.message}"
