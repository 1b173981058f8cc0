from __future__ import annotations

from pathlib import Path

import pytest

from linter.model import Finding
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

import (
    "context"
    hp "net/http"
)

type registerer string

var HandlerRegisterer = registerer("hello")

type factory = func(context.Context, map[string]any, hp.Handler) (hp.Handler, error)
"""  # 12 lines; the method under test starts on line 13


def lint(tmp_path: Path, method: str, head: str = HEAD) -> list[Finding]:
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": head + method})


def test_aliases_any_and_import_aliases_pass(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func (r registerer) RegisterHandlers(register func(name string, f factory)) {\n"
                              "    register(string(r), nil)\n}\n")
    assert positions(findings, "KP40") == []


def test_named_callback_type_is_not_identical(tmp_path: Path) -> None:
    method = ("type callback func(string, factory)\n\n"
              "func (r registerer) RegisterHandlers(f callback) {\n    f(string(r), nil)\n}\n")
    findings = lint(tmp_path, method)
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 15, 21)]
    message = next(f for f in findings if f.rule == "KP404").message
    assert "callback is a named type" in message and "type callback = func(" in message
    assert "http-server-handler plugin loader: unknown type" in message


def test_wrong_parameter_type_is_reported_on_the_method(tmp_path: Path) -> None:
    method = ("func (r registerer) RegisterHandlers(f func(string, func(context.Context, map[string]string, "
              "hp.Handler) (hp.Handler, error))) {}\n")
    findings = lint(tmp_path, method)
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 13, 21)]
    message = next(f for f in findings if f.rule == "KP404").message
    assert "found map[string]string where map[string]interface{} is needed" in message


def test_misspelt_method_is_reported_on_that_method(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func (r registerer) RegisterHandler(f func(string, factory)) {}\n")
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 13, 21)]


def test_missing_method_is_reported_on_the_variable(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func (r registerer) Other() {}\n")
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 10, 5)]


def test_method_on_another_type_is_explained(tmp_path: Path) -> None:
    findings = lint(tmp_path, "type other struct{}\n\nfunc (other) RegisterHandlers(f func(string, factory)) {}\n")
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 10, 5)]
    finding = next(f for f in findings if f.rule == "KP404")
    assert "declared on other" in finding.message and finding.related[0].line == 15


def test_plain_string_variable_has_no_methods(tmp_path: Path) -> None:
    head = HEAD.replace('var HandlerRegisterer = registerer("hello")', 'var HandlerRegisterer = "hello"')
    findings = lint(tmp_path, "", head)
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 10, 5)]


def test_registerer_type_in_another_package_of_the_module_passes(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": GOMOD,
        "plugin.go": 'package main\n\nimport "example.com/plug/internal/reg"\n\nvar HandlerRegisterer = reg.Name("")\n',
        "internal/reg/reg.go": """package reg

import (
    "context"
    "net/http"
)

type Name string

func (n Name) RegisterHandlers(f func(string, func(context.Context, map[string]any, http.Handler) (http.Handler,
    error))) {
    f(string(n), nil)
}
""",
    })
    assert positions(findings, "KP40") == []


def test_wrong_signature_in_another_package_is_reported_there(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": GOMOD,
        "plugin.go": 'package main\n\nimport "example.com/plug/internal/reg"\n\nvar ClientRegisterer = reg.Name("x")\n',
        "internal/reg/reg.go": "package reg\n\ntype Name string\n\nfunc (n Name) RegisterClients(f func(string)) {}\n",
    })
    assert positions(findings, "KP404") == [("KP404", "internal/reg/reg.go", 5, 15)]


def test_pointer_variable_still_gets_its_method_signature_checked(tmp_path: Path) -> None:
    head = HEAD.replace('var HandlerRegisterer = registerer("hello")', 'var HandlerRegisterer = new(registerer)')
    method = "func (r *registerer) RegisterHandlers(f func(string, int)) {}\n"
    findings = lint(tmp_path, method, head)
    assert positions(findings, "KP40") == [("KP403", "plugin.go", 10, 5), ("KP404", "plugin.go", 13, 22)]


def test_pointer_variable_with_the_right_method_is_only_kp403(tmp_path: Path) -> None:
    head = HEAD.replace('var HandlerRegisterer = registerer("hello")', 'var HandlerRegisterer = new(registerer)')
    method = "func (r *registerer) RegisterHandlers(f func(string, factory)) {}\n"
    rules = [p[0] for p in positions(lint(tmp_path, method, head), "KP40") if p[0] in ("KP403", "KP404")]
    assert rules == ["KP403"]


@pytest.mark.parametrize("declaration", [
    "var HandlerRegisterer = 42",
    "var HandlerRegisterer = -42",
    "var HandlerRegisterer = 4.2",
    "var HandlerRegisterer = 'x'",
    "var HandlerRegisterer = 2i",
    "var HandlerRegisterer = 0x2A + 1",
    "var HandlerRegisterer = answer\n\nconst answer = 42",
])
def test_untyped_numeric_constant_has_no_methods(tmp_path: Path, declaration: str) -> None:
    # Go gives the variable the constant's default type (int, float64, rune, complex128): no methods,
    # and the loader's assertion fails with "unknown type", as for a string or a bool.
    head = HEAD.replace('var HandlerRegisterer = registerer("hello")', declaration)
    findings = lint(tmp_path, "", head)
    assert positions(findings, "KP404") == [("KP404", "plugin.go", 10, 5)]
