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


def test_the_hint_does_not_suggest_what_the_code_already_does(tmp_path: Path) -> None:
    from linter.model import Finding

    source = ('package main\n\nimport (\n\t"context"\n\t"net/http"\n\t"strings"\n)\n\ntype registerer string\n\n'
              'var HandlerRegisterer = registerer("a,b")\n\n'
              'func (r registerer) RegisterHandlers(f func(string, func(context.Context, map[string]interface{}, '
              'http.Handler) (http.Handler, error))) {\n\tfor _, name := range strings.Split(string(r), ",") {\n'
              '\t\tf(name, nil)\n\t}\n}\n')
    found: list[Finding] = [f for f in lint_files(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n",
                                                              "plugin.go": source}) if f.rule == "KP408"]
    assert [(f.location.line, f.location.column) for f in found] == [(15, 5)]
    assert "string(r)" not in found[0].hint
