from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

import (
    "context"
    "net/http"
)

type registerer struct{ name string }

var HandlerRegisterer = registerer{name: "from-field"}

type factory = func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)

const prefix = "acme-"

var names = []string{"a", "b"}

"""  # 17 lines; the method under test starts on line 18


def test_names_from_a_loop_are_unknown(tmp_path: Path) -> None:
    method = ("func (r registerer) RegisterHandlers(f func(string, factory)) {\n"
              "    for _, n := range names {\n        f(n, nil)\n    }\n}\n")
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + method})
    assert positions(findings, "KP408") == [("KP408", "plugin.go", 20, 11)]


def test_callback_passed_elsewhere_is_unknown(tmp_path: Path) -> None:
    method = "func (r registerer) RegisterHandlers(f func(string, factory)) {\n    register(f)\n}\n"
    method += "\nfunc register(f func(string, factory)) { f(\"x\", nil) }\n"
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + method})
    assert positions(findings, "KP408") == [("KP408", "plugin.go", 18, 21)]


def test_constants_fields_and_concatenation_are_known(tmp_path: Path) -> None:
    method = ("func (r registerer) RegisterHandlers(f func(string, factory)) {\n"
              "    f(r.name, nil)\n    f(prefix+\"x\", nil)\n    f(`raw`, nil)\n}\n")
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + method})
    assert positions(findings, "KP408") == []
