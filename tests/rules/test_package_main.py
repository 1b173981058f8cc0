from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
BODY = """
import (
    "context"
    "net/http"
)

type registerer string

var HandlerRegisterer = registerer("hello")

func (r registerer) RegisterHandlers(f func(
    string,
    func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
    f(string(r), nil)
}
"""


def test_non_main_package_with_a_registerer_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": "package hello\n" + BODY})
    assert positions(findings, "KP401") == [("KP401", "plugin.go", 1, 9)]
    fix = next(f for f in findings if f.rule == "KP401").fix
    assert fix is not None and fix.replacement == "package main"


def test_mixed_package_names_in_one_directory_are_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": GOMOD,
        "plugin.go": "package main\n" + BODY,
        "helpers.go": "// helpers\npackage helpers // old name\n",
    })
    assert positions(findings, "KP401") == [("KP401", "helpers.go", 2, 9)]
    fix = next(f for f in findings if f.rule == "KP401").fix
    assert fix is not None and fix.replacement == "package main // old name"


def test_package_main_without_func_main_passes(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": "package main\n" + BODY})
    assert positions(findings, "KP401") == []


def test_library_packages_and_tests_are_not_plugins(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": GOMOD,
        "plugin.go": "package main\n" + BODY,
        "internal/util/util.go": "package util\n\nfunc Helper() {}\n",
        "plugin_test.go": "package main_test\n",
    })
    assert positions(findings, "KP401") == []
