from __future__ import annotations

from pathlib import Path

from linter.rules.gomod_go_directive import suggested_go_line
from tests.helpers import lint_files, positions

MAIN = "package main\n\nfunc main() {}\n"


def lint(tmp_path: Path, gomod: str, version: str = "2.7.0"):  # type: ignore[no-untyped-def]
    return lint_files(tmp_path, {"go.mod": gomod, "main.go": MAIN}, krakend_version=version)


def test_go_line_above_krakend_go_is_reported(tmp_path: Path) -> None:
    found = lint(tmp_path, "module example.com/p\n\ngo 1.23.1\n")
    assert positions(found, "KP202") == [("KP202", "go.mod", 3, 4)]
    fix = next(f for f in found if f.rule == "KP202").fix
    assert fix is not None and (fix.line, fix.replacement) == (3, "go 1.22.5")


def test_patch_above_is_reported_too(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, "module example.com/p\n\ngo 1.22.6\n"), "KP202") == [("KP202", "go.mod", 3, 4)]


def test_go_line_at_or_below_passes(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, "module example.com/p\n\ngo 1.22\n"), "KP202") == []
    assert positions(lint(tmp_path / "b", "module example.com/p\n\ngo 1.22.5\n"), "KP202") == []


def test_old_go_releases_get_a_minor_go_line() -> None:
    assert suggested_go_line("1.20.14") == "1.20"
    assert suggested_go_line("1.22.5") == "1.22.5"
