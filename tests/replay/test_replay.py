"""Replayed public plugin-loading reports (issue 17): would the linter have caught each one?

Every `tests/replay/<tracker>-<number>/case.toml` is validated, then its `broken/` twin must produce
every [[expect]] finding (as an error or a warning) and its `fixed/` twin no error and no warning.
A case with `known_gap` is a cause the linter should catch and does not yet: it is xfail(strict),
so the suite stays green and says so the day the linter learns it. The format is in README.md here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.model import Finding, Location, Severity
from tests.replay.cases import CaseError, blocking, case_dirs, describe, lint_twin, load_case, missing

CASES = case_dirs()


def _ids(folder: Path) -> str:
    return folder.name


def test_cases_are_present() -> None:
    assert len(CASES) >= 15, f"expected the replayed reports under tests/replay/, found {len(CASES)}"


@pytest.mark.parametrize("folder", CASES, ids=_ids)
def test_case_is_well_formed(folder: Path) -> None:
    load_case(folder)  # raises CaseError naming the case.toml


@pytest.mark.parametrize("folder", CASES, ids=_ids)
def test_broken_twin_names_the_cause(folder: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = load_case(folder)
    if not case.catchable:
        assert case.why_not.strip(), f"{folder / 'case.toml'}: a case we cannot catch must say why"
        return
    if case.known_gap:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"known linter gap: {case.known_gap}"))
    findings = lint_twin(case, "broken", tmp_path / "cache")
    lost = missing(case, findings)
    assert not lost, (
        f"{folder.name}: expected {', '.join(map(str, lost))}; got:\n"
        + "\n".join(describe(f) for f in findings)
    )


@pytest.mark.parametrize("folder", CASES, ids=_ids)
def test_fixed_twin_is_clean(folder: Path, tmp_path: Path) -> None:
    case = load_case(folder)
    bad = blocking(lint_twin(case, "fixed", tmp_path / "cache"))
    assert not bad, f"{folder.name}: the fixed twin must have no error or warning:\n" + "\n".join(map(describe, bad))


GOOD_CASE = """
url = "https://github.com/krakend/krakend-ce/issues/7"
tracker = "krakend-ce"
number = 7
title = "builder Go differs from KrakenD's"
facts = ["built with Go 1.20.5"]
real_error = "plugin was built with a different version of package runtime"
catchable = true
[[expect]]
rule = "KP201"
path = "Dockerfile"
line = 1
"""


def _write_case(root: Path, text: str, name: str = "krakend-ce-7") -> Path:
    folder = root / name
    for twin in ("broken", "fixed"):
        (folder / twin).mkdir(parents=True)
    (folder / "broken" / "Dockerfile").write_text("FROM golang:1.20.5\n", encoding="utf-8")
    (folder / "case.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_good_case_loads(tmp_path: Path) -> None:
    case = load_case(_write_case(tmp_path, GOOD_CASE))
    assert (case.number, case.catchable, [str(e) for e in case.expects]) == (7, True, ["KP201 Dockerfile:1"])


@pytest.mark.parametrize(("edit", "complaint"), [
    (lambda t: t.replace('number = 7', 'number = "7"'), "'number' must be a int"),
    (lambda t: t.replace('rule = "KP201"', 'rule = "201"'), "[[expect]] #1: rule '201'"),
    (lambda t: t.replace('path = "Dockerfile"', 'path = "Dockerfil"'), "path 'Dockerfil' is not a file"),
    (lambda t: t.replace("catchable = true", "catchable = false"), "needs a non-empty 'why_not'"),
    (lambda t: t.replace("catchable = true", "catchable = true\nwhy = 1"), "unknown key 'why'"),
    (lambda t: t.replace('tracker = "krakend-ce"', 'tracker = "krakend"'), "tracker 'krakend' is not one of"),
    (lambda t: t.split("[[expect]]")[0], "needs at least one [[expect]]"),
    (lambda t: t.replace("url =", "link ="), "missing key 'url'"),
    (lambda t: t + "oops", "cannot be read"),
])
def test_a_bad_case_names_its_file(tmp_path: Path, edit: object, complaint: str) -> None:
    assert callable(edit)
    folder = _write_case(tmp_path, edit(GOOD_CASE))
    with pytest.raises(CaseError) as caught:
        load_case(folder)
    assert str(caught.value).startswith(str(folder / "case.toml") + ": ")
    assert complaint in str(caught.value)


def test_a_misnamed_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="must be 'krakend-ce-7'"):
        load_case(_write_case(tmp_path, GOOD_CASE, name="krakend-ce-8"))


def _finding(rule: str, line: int, severity: Severity) -> Finding:
    return Finding(rule, "x", severity, Location("Dockerfile", line, 6), "m")


def test_only_errors_and_warnings_on_the_right_line_count(tmp_path: Path) -> None:
    case = load_case(_write_case(tmp_path, GOOD_CASE))
    assert missing(case, [_finding("KP201", 1, Severity.WARNING)]) == []
    assert missing(case, [_finding("KP201", 1, Severity.NOTICE)]) == list(case.expects)
    assert missing(case, [_finding("KP201", 2, Severity.ERROR)]) == list(case.expects)
    assert missing(case, [_finding("KP301", 1, Severity.ERROR)]) == list(case.expects)
