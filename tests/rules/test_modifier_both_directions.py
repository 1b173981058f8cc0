from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

GOMOD = "module example.com/plug\n\ngo 1.22\n"
HEAD = """package main

type registerer string

var ModifierRegisterer = registerer("mod")

type factory = func(map[string]interface{}) func(interface{}) (interface{}, error)

const both = true

func (r registerer) RegisterModifiers(f func(string, factory, bool, bool)) {
"""  # the calls under test start on line 12


def test_name_registered_for_both_directions_is_reported(tmp_path: Path) -> None:
    body = '    f(string(r), nil, true, both)\n    f("other", nil, !false, true)\n}\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + body})
    assert positions(findings, "KP407") == [("KP407", "plugin.go", 12, 5), ("KP407", "plugin.go", 13, 5)]


def test_one_name_per_direction_passes(tmp_path: Path) -> None:
    body = '    f(string(r)+"-request", nil, true, false)\n    f(string(r)+"-response", nil, false, true)\n}\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + body})
    assert positions(findings, "KP407") == []


def test_one_name_registered_once_per_direction_loses_the_response_side(tmp_path: Path) -> None:
    body = '    f(string(r), nil, true, false)\n    f(string(r), nil, false, true)\n}\n'
    findings = lint_files(tmp_path, {"go.mod": GOMOD, "plugin.go": HEAD + body})
    assert positions(findings, "KP407") == [("KP407", "plugin.go", 13, 5)]
