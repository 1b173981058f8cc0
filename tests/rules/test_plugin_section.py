from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

SERVER = '"extra_config": {"plugin/http-server": {"name": ["hello"]}}'


def test_namespace_without_plugin_section_is_reported_on_the_namespace(tmp_path: Path) -> None:
    config = '{\n  "version": 3,\n  ' + SERVER + "\n}\n"
    findings = lint_files(tmp_path, {"krakend.json": config})
    assert positions(findings, "KP502") == [("KP502", "krakend.json", 3, 20)]


def test_missing_folder_and_pattern_are_reported_on_the_section(tmp_path: Path) -> None:
    config = '{\n  "version": 3,\n  "plugin": {},\n  ' + SERVER + "\n}\n"
    findings = lint_files(tmp_path, {"krakend.json": config})
    assert positions(findings, "KP502") == [("KP502", "krakend.json", 3, 3), ("KP502", "krakend.json", 3, 3)]


def test_folder_of_the_wrong_type_is_reported(tmp_path: Path) -> None:
    config = '{\n  "version": 3,\n  "plugin": {"folder": 1, "pattern": ".so"},\n  ' + SERVER + "\n}\n"
    findings = lint_files(tmp_path, {"krakend.json": config})
    assert positions(findings, "KP502") == [("KP502", "krakend.json", 3, 24)]


def test_complete_section_and_configs_without_plugins_pass(tmp_path: Path) -> None:
    config = '{"version": 3, "plugin": {"folder": "./plugins/", "pattern": ".so"}, ' + SERVER + "}\n"
    findings = lint_files(tmp_path, {"krakend.json": config, "krakend-b.json": '{"version": 3, "endpoints": []}'})
    assert positions(findings, "KP502") == []
