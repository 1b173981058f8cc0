from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
METHOD = """
import (
    "context"
    "net/http"
)

type registerer string

func (r registerer) RegisterHandlers(f func(
    string,
    func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
    f(string(r), nil)
}
"""


def test_package_without_any_registerer_is_reported(tmp_path: Path) -> None:
    # (a near miss such as handlerRegisterer is KP406's, which folds this finding: tests/test_rootcause.py)
    source = "// Package main is a plugin.\npackage main\n" + METHOD + '\nvar greeter = registerer("x")\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": source})
    assert positions(findings, "KP402") == [("KP402", "plugin.go", 2, 9)]
    message = next(f for f in findings if f.rule == "KP402").message
    assert "plugin: symbol HandlerRegisterer not found in plugin example.com/plug" in message


def test_registerer_declared_inside_a_function_does_not_count(tmp_path: Path) -> None:
    local = '\nfunc init() {\n    var HandlerRegisterer = registerer("x")\n    _ = HandlerRegisterer\n}\n'
    source = "package main\n" + METHOD + local
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": source})
    assert positions(findings, "KP402") == [("KP402", "plugin.go", 1, 9)]


def test_exported_registerer_passes(tmp_path: Path) -> None:
    source = "package main\n" + METHOD + '\nvar HandlerRegisterer = registerer("x")\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": source})
    assert positions(findings, "KP402") == []


def test_a_program_with_a_real_main_is_not_a_plugin(tmp_path: Path) -> None:
    source = 'package main\n\nimport "fmt"\n\nfunc main() {\n    fmt.Println("tool")\n}\n'
    plugin = "package main\n" + METHOD + '\nvar HandlerRegisterer = registerer("x")\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "cmd/tool/main.go": source, "plugin.go": plugin})
    assert positions(findings, "KP402") == []
