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
