from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
SOURCE = """package main

type registerer string

var ModifierRegisterer = registerer("add-header")

type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)

func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) { f(string(r), nil, true, false) }
"""
HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'


def test_modifier_name_under_the_server_namespace_is_reported(tmp_path: Path) -> None:
    config = HEAD + '  "extra_config": {"plugin/http-server": {"name": ["add-header"]}}\n}\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE, "krakend.json": config})
    assert positions(findings, "KP510") == [("KP510", "krakend.json", 4, 52)]
    assert positions(findings, "KP508") == []
    assert "plugin/req-resp-modifier" in next(f for f in findings if f.rule == "KP510").hint


def test_name_under_its_own_namespace_passes(tmp_path: Path) -> None:
    config = (HEAD + '  "endpoints": [{"endpoint": "/a", "backend": [{"host": ["h"]}],\n'
              '    "extra_config": {"plugin/req-resp-modifier": {"name": ["add-header"]}}}]\n}\n')
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": SOURCE, "krakend.json": config})
    assert positions(findings, "KP510") == []
