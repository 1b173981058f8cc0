from __future__ import annotations

from pathlib import Path

from linter.model import Severity
from tests.helpers import lint_files, positions

MAIN = "package main\n\nfunc main() {}\n"


def lint(tmp_path: Path, gomod: str):  # type: ignore[no-untyped-def]
    return lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}, krakend_version="2.7.0")


def test_newer_toolchain_is_an_error(tmp_path: Path) -> None:
    found = lint(tmp_path, "module example.com/p\n\ngo 1.22\n\ntoolchain go1.23.4\n")
    assert positions(found, "KP203") == [("KP203", "go.mod", 5, 11)]
    finding = next(f for f in found if f.rule == "KP203")
    assert finding.severity == Severity.ERROR
    assert finding.fix is not None and finding.fix.replacement == "toolchain go1.22.5"


def test_older_toolchain_is_a_warning(tmp_path: Path) -> None:
    found = lint(tmp_path, "module example.com/p\n\ngo 1.22\n\ntoolchain go1.22.1\n")
    assert [f.severity for f in found if f.rule == "KP203"] == [Severity.WARNING]


def test_matching_or_absent_toolchain_passes(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, "module example.com/p\n\ngo 1.22\n\ntoolchain go1.22.5\n"), "KP203") == []
    assert positions(lint(tmp_path / "b", "module example.com/p\n\ngo 1.22\n"), "KP203") == []
