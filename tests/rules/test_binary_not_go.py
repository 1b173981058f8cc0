from __future__ import annotations

import shutil
from pathlib import Path

from linter.inputs.workspace import Workspace
from linter.model import Location, Problem, Severity
from linter.rules.base import RuleContext
from linter.rules.binary_not_go import check
from tests.helpers import lint_files, positions

PLUGIN = {"go.mod": "module example.com/p\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"}


def true_binary() -> Path:
    return Path(shutil.which("true") or "/bin/true")


def test_non_go_files_are_reported(tmp_path: Path) -> None:
    shutil.copyfile(true_binary(), tmp_path / "krakend")
    shutil.copyfile(true_binary(), tmp_path / "libfoo.so")
    findings = lint_files(tmp_path, PLUGIN, krakend_binary=Path("krakend"))
    assert positions(findings, "KP905") == [("KP905", "krakend", 0, 0), ("KP905", "libfoo.so", 0, 0)]
    severities = {f.location.path: f.severity for f in findings if f.rule == "KP905"}
    assert severities == {"krakend": Severity.WARNING, "libfoo.so": Severity.NOTICE}


def test_stripped_plugin_problem_is_a_notice() -> None:
    problem = Problem(Location("p.so"), "p.so is a Go plugin but stripped (no .symtab) and its plugin path cannot "
                      "be determined", "stripped")
    findings = list(check(Workspace(problems=(problem,)), RuleContext()))
    assert positions(findings) == [("KP905", "p.so", 0, 0)] and findings[0].severity is Severity.NOTICE


def test_other_problems_and_clean_trees_pass(tmp_path: Path) -> None:
    other = Problem(Location("go.mod", 3), "bad line", "unparsable")
    assert list(check(Workspace(problems=(other,)), RuleContext())) == []
    assert positions(lint_files(tmp_path, PLUGIN), "KP905") == []
