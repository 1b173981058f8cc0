from __future__ import annotations

from pathlib import Path

from linter.model import Finding
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

import (
    "context"
    "net/http"
)

type registerer struct{ name string }

type handlers interface {
    RegisterHandlers(func(string, func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))
}

func (r *registerer) RegisterHandlers(f func(
    string,
    func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
    f(r.name, nil)
}
"""  # 19 lines; declarations under test start on line 20


def lint(tmp_path: Path, declaration: str) -> list[Finding]:
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + declaration})


def test_pointer_variable_is_reported_with_a_fix(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var HandlerRegisterer = &registerer{name: "x"}\n')
    assert positions(findings, "KP403") == [("KP403", "plugin.go", 20, 5)]
    finding = next(f for f in findings if f.rule == "KP403")
    assert "http-server-handler plugin loader: unknown type" in finding.message
    assert finding.fix is not None and finding.fix.replacement == 'var HandlerRegisterer = registerer{name: "x"}'


def test_new_and_declared_pointer_types_are_reported(tmp_path: Path) -> None:
    findings = lint(tmp_path, "var HandlerRegisterer = new(registerer)\n\nvar ClientRegisterer *registerer\n")
    assert positions(findings, "KP403") == [("KP403", "plugin.go", 20, 5), ("KP403", "plugin.go", 22, 5)]


def test_interface_typed_variable_is_reported(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var HandlerRegisterer handlers = &registerer{name: "x"}\n')
    assert positions(findings, "KP403") == [("KP403", "plugin.go", 20, 5)]
    assert "interface" in next(f for f in findings if f.rule == "KP403").message


def test_function_named_like_the_symbol_is_reported(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func HandlerRegisterer() handlers { return &registerer{} }\n")
    assert positions(findings, "KP403") == [("KP403", "plugin.go", 20, 6)]


def test_constant_is_not_a_symbol(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'const HandlerRegisterer = "x"\n')
    assert positions(findings, "KP403") == [("KP403", "plugin.go", 20, 7)]
    assert "not found in plugin example.com/plug" in next(f for f in findings if f.rule == "KP403").message


def test_value_variable_with_pointer_receivers_passes(tmp_path: Path) -> None:
    findings = lint(tmp_path, 'var HandlerRegisterer = registerer{name: "x"}\n')
    assert positions(findings, "KP40") == []


def test_hints_use_the_plugins_own_value(tmp_path: Path) -> None:
    source = ('package main\n\ntype registerer string\n\nvar greeter = registerer("greeter")\n\n'
              'var HandlerRegisterer interface{} = registerer("greeter")\n\n'
              'func (r registerer) RegisterHandlers(f func(string, func(context.Context, map[string]interface{}, '
              'http.Handler) (http.Handler, error))) {\n\tf(string(r), nil)\n}\n')
    source = source.replace("package main\n", 'package main\n\nimport (\n\t"context"\n\t"net/http"\n)\n', 1)
    found = [f for f in lint_files(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n", "plugin.go": source},
                                   krakend_version="2.7.0") if f.rule == "KP403"]
    assert [f.location.line for f in found] == [12]
    assert found[0].hint.endswith('`var HandlerRegisterer = registerer("greeter")`')
