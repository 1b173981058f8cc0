from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.model import Finding, Severity
from tests.helpers import lint_files

HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'
LONG_SERVER = "github_com/devopsfaith/krakend/transport/http/server/handler"


def lint(tmp_path: Path, body: str, **settings: Any) -> list[Finding]:
    findings = lint_files(tmp_path, {"krakend.json": HEAD + body + "}\n"}, **settings)
    return [f for f in findings if f.rule == "KP507"]


def test_long_name_on_krakend_2_is_a_notice_with_a_fix(tmp_path: Path) -> None:
    findings = lint(tmp_path, '  "extra_config": {"' + LONG_SERVER + '": {"name": ["s"]}}\n')
    assert [(f.location.line, f.location.column, f.severity) for f in findings] == [(4, 20, Severity.NOTICE)]
    assert findings[0].fix is not None
    assert findings[0].fix.replacement == '  "extra_config": {"plugin/http-server": {"name": ["s"]}}'


def test_long_name_with_the_wrong_separator_is_ignored_by_krakend(tmp_path: Path) -> None:
    wrong = LONG_SERVER.replace("github_com", "github.com")
    findings = lint(tmp_path, '  "extra_config": {"' + wrong + '": {"name": ["s"]}}\n')
    assert [(f.location.line, f.location.column, f.severity) for f in findings] == [(4, 20, Severity.ERROR)]


def test_short_name_on_krakend_1_is_ignored(tmp_path: Path) -> None:
    findings = lint(tmp_path, '  "extra_config": {"plugin/http-server": {"name": ["s"]}}\n', krakend_version="1.4.1")
    assert [(f.location.line, f.severity) for f in findings] == [(4, Severity.ERROR)]
    assert findings[0].fix is not None and LONG_SERVER in findings[0].fix.replacement


def test_long_names_pass_on_krakend_1_and_short_names_on_krakend_2(tmp_path: Path) -> None:
    long_body = '  "extra_config": {"' + LONG_SERVER + '": {"name": ["s"]}}\n'
    assert lint(tmp_path / "a", long_body, krakend_version="1.4.1") == []
    assert lint(tmp_path / "b", '  "extra_config": {"plugin/http-server": {"name": ["s"]}}\n') == []
