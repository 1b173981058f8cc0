from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.model import Finding
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
SOURCE = """package main

import (
    "context"
    "net/http"
)

type registerer string

var HandlerRegisterer = registerer("hello")

type factory = func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)

func (r registerer) RegisterHandlers(f func(string, factory)) { f(string(r), nil) }
"""
HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'


def lint(tmp_path: Path, names: str, source: str = SOURCE, **settings: Any) -> list[Finding]:
    config = HEAD + '  "extra_config": {"plugin/http-server": {"name": ' + names + "}}\n}\n"
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": source, "krakend.json": config}, **settings)


def test_unregistered_name_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    findings = lint(tmp_path, '["hello", "helo"]')
    assert positions(findings, "KP508") == [("KP508", "krakend.json", 4, 61)]
    finding = next(f for f in findings if f.rule == "KP508")
    assert "No plugin registered as helo" in finding.message and 'did you mean "hello"' in finding.hint


def test_provided_names_count_as_registered(tmp_path: Path) -> None:
    findings = lint(tmp_path, '["hello", "other"]', provided_names=frozenset({"other"}))
    assert positions(findings, "KP508") == []


def test_names_that_cannot_be_read_statically_are_not_judged(tmp_path: Path) -> None:
    source = SOURCE.replace("f(string(r), nil)", "for _, n := range names() { f(n, nil) }")
    source += "\nfunc names() []string { return nil }\n"
    assert positions(lint(tmp_path, '["anything"]', source), "KP508") == []


def test_registered_name_passes(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, '["hello"]'), "KP508") == []


def test_the_quoted_log_line_is_the_targeted_release_s(tmp_path: Path) -> None:
    def message(version: str) -> str:
        findings = lint(tmp_path / version, '["helo"]', krakend_version=version, offline=True)
        assert positions(findings, "KP508") == [("KP508", "krakend.json", 4, 52)]
        return next(f for f in findings if f.rule == "KP508").message

    assert '"No plugin resgistered as helo" at DEBUG' in message("2.4.6")  # lura v2.3.0
    assert '"No plugin resgistered as helo" at ERROR' in message("2.7.2")  # lura v2.7.0
    assert '"No plugin registered as helo" at ERROR' in message("2.8.0")  # lura v2.7.2
