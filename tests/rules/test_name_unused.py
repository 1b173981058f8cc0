from __future__ import annotations

from pathlib import Path

from linter.model import Finding
from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
SOURCE = """package main

type registerer string

var ModifierRegisterer = registerer("mod")

type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)

func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
    f(string(r)+"-request", nil, true, false)
    f(string(r)+"-response", nil, false, true)
}
"""
HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'


def lint(tmp_path: Path, names: str) -> list[Finding]:
    config = (HEAD + '  "endpoints": [{"endpoint": "/a", "backend": [{"host": ["h"]}],\n'
              '    "extra_config": {"plugin/req-resp-modifier": {"name": ' + names + "}}}]\n}\n")
    return lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE, "krakend.json": config})


def test_registered_name_no_config_uses_is_a_notice(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, '["mod-request"]'), "KP509") == [("KP509", "plugin.go", 11, 5)]


def test_every_name_used_passes(tmp_path: Path) -> None:
    assert positions(lint(tmp_path, '["mod-request", "mod-response"]'), "KP509") == []


def test_without_a_gateway_config_nothing_is_said(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE})
    assert positions(findings, "KP509") == []
