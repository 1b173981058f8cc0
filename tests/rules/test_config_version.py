from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions


def test_version_2_on_krakend_2_is_reported_with_a_fix(tmp_path: Path) -> None:
    config = '{\n  "version": 2,\n  "endpoints": []\n}\n'
    findings = lint_files(tmp_path, {"krakend.json": config}, krakend_version="2.7.0")
    assert positions(findings, "KP501") == [("KP501", "krakend.json", 2, 14)]
    finding = next(f for f in findings if f.rule == "KP501")
    assert "unsupported version: 2 (want: 3)" in finding.message
    assert finding.fix is not None and finding.fix.replacement == '  "version": 3,'


def test_version_3_on_krakend_1_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"krakend.json": '{"version": 3, "endpoints": []}\n'}, krakend_version="1.4.1")
    assert positions(findings, "KP501") == [("KP501", "krakend.json", 1, 13)]


def test_missing_and_quoted_versions_are_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "krakend.json": '{"endpoints": []}\n',
        "krakend-b.json": '{"version": "3", "endpoints": []}\n',
    })
    assert positions(findings, "KP501") == [("KP501", "krakend-b.json", 1, 13), ("KP501", "krakend.json", 1, 1)]


def test_right_version_and_partial_files_pass(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "krakend.json": '{"version": 3, "endpoints": []}\n',
        "krakend.yaml": "version: 3\nendpoints: []\n",
        "krakend-settings.json": '{"service_name": "x"}\n',
    }, krakend_version="2.7.0")
    assert positions(findings, "KP501") == []


ONE_X_CONFIG = (
    '{\n  "version": 2,\n  "plugin": {"folder": "/etc/krakend/plugins/", "pattern": ".so"},\n'
    '  "extra_config": {\n'
    '    "github_com/devopsfaith/krakend/transport/http/server/handler": {"name": "hello"}\n  },\n'
    '  "endpoints": []\n}\n'
)


def test_a_1x_era_repository_without_a_pinned_release_is_judged_as_1x(tmp_path: Path) -> None:
    """Config version 2 and the framework's pre-2.0 module: a 1.x deployment, not a broken 2.x one."""
    findings = lint_files(tmp_path, {
        "krakend.json": ONE_X_CONFIG,
        "go.mod": "module example.com/hello\n\ngo 1.16\n\nrequire github.com/devopsfaith/krakend v1.1.1\n",
        "main.go": 'package main\n\nvar HandlerRegisterer = registerer("hello")\n\ntype registerer string\n',
    })
    assert positions(findings, "KP50") == []


def test_version_2_beside_a_lura_v2_plugin_is_reported(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "krakend.json": '{\n  "version": 2,\n  "endpoints": []\n}\n',
        "go.mod": "module example.com/hello\n\ngo 1.22\n\nrequire github.com/luraproject/lura/v2 v2.6.2\n",
        "main.go": 'package main\n\nvar HandlerRegisterer = registerer("hello")\n\ntype registerer string\n',
    })
    assert positions(findings, "KP501") == [("KP501", "krakend.json", 2, 14)]
