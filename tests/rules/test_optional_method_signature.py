from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.model import Finding
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

import "context"

type registerer string

var ModifierRegisterer = registerer("mod")

type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)

func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
    f(string(r), nil, true, false)
}

type Logger interface{ Debug(v ...interface{}) }
"""  # 15 lines; methods under test start on line 16


def lint(tmp_path: Path, methods: str, head: str = HEAD, **settings: Any) -> list[Finding]:
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": head + methods}, **settings)


def test_exact_optional_methods_pass(tmp_path: Path) -> None:
    methods = "func (r registerer) RegisterLogger(v any) {}\n"
    methods += "func (r *registerer) RegisterContext(ctx context.Context) {}\n"
    assert positions(lint(tmp_path, methods), "KP405") == []


def test_logger_with_a_custom_interface_is_never_called(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func (r registerer) RegisterLogger(l Logger) {}\n")
    assert positions(findings, "KP405") == [("KP405", "plugin.go", 16, 21)]


def test_misspelt_optional_method_is_never_called(tmp_path: Path) -> None:
    findings = lint(tmp_path, "func (r registerer) RegisterLoger(v interface{}) {}\n")
    assert positions(findings, "KP405") == [("KP405", "plugin.go", 16, 21)]


def test_register_context_before_2_6_is_not_called(tmp_path: Path) -> None:
    methods = "func (r registerer) RegisterContext(ctx context.Context) {}\n"
    assert positions(lint(tmp_path, methods, krakend_version="2.5.0"), "KP405") == [("KP405", "plugin.go", 16, 21)]
    assert positions(lint(tmp_path, methods, krakend_version="2.6.0"), "KP405") == []


def test_register_context_on_a_server_plugin_is_never_called(tmp_path: Path) -> None:
    head = """package main

import (
    "context"
    "net/http"
)

type registerer string

var HandlerRegisterer = registerer("srv")

type factory = func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)

func (r registerer) RegisterHandlers(f func(string, factory)) { f(string(r), nil) }
"""
    findings = lint(tmp_path, "func (r registerer) RegisterContext(ctx context.Context) {}\n", head)
    assert positions(findings, "KP405") == [("KP405", "plugin.go", 15, 21)]
