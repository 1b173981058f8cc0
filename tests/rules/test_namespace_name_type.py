from __future__ import annotations

from pathlib import Path

from linter.model import Finding, Severity
from tests.helpers import lint_files

HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'


def lint(tmp_path: Path, body: str) -> list[Finding]:
    findings = lint_files(tmp_path, {"krakend.json": HEAD + body + "}\n"})
    return sorted((f for f in findings if f.rule == "KP506"), key=lambda f: f.position_key())


def where(findings: list[Finding]) -> list[tuple[int, int]]:
    return [(f.location.line, f.location.column) for f in findings]


def test_string_name_for_a_modifier_is_silently_ignored(tmp_path: Path) -> None:
    body = '  "endpoints": [{"endpoint": "/a",\n    "extra_config": {"plugin/req-resp-modifier": {"name": "m"}}}]\n'
    findings = lint(tmp_path, body)
    assert where(findings) == [(5, 59)]
    assert findings[0].severity == Severity.ERROR
    assert findings[0].fix is not None
    assert findings[0].fix.replacement == '    "extra_config": {"plugin/req-resp-modifier": {"name": ["m"]}}}]'


def test_list_name_for_a_client_is_ignored(tmp_path: Path) -> None:
    body = ('  "endpoints": [{"endpoint": "/a", "backend": [\n'
            '    {"extra_config": {"plugin/http-client": {"name": ["c"]}}}]}]\n')
    findings = lint(tmp_path, body)
    assert where(findings) == [(5, 54)]
    assert findings[0].fix is not None and findings[0].fix.replacement.endswith('{"name": "c"}}}]}]')


def test_string_name_for_a_server_is_a_notice(tmp_path: Path) -> None:
    findings = lint(tmp_path, '  "extra_config": {"plugin/http-server": {"name": "s"}}\n')
    assert where(findings) == [(4, 51)] and findings[0].severity == Severity.NOTICE


def test_missing_name_and_non_string_items_are_reported(tmp_path: Path) -> None:
    body = ('  "extra_config": {"plugin/http-server": {"s": {}}},\n'
            '  "endpoints": [{"endpoint": "/a", "extra_config": {"plugin/req-resp-modifier": {"name": [1]}}}]\n')
    assert where(lint(tmp_path, body)) == [(4, 20), (5, 91)]


def test_right_types_pass(tmp_path: Path) -> None:
    body = ('  "extra_config": {"plugin/http-server": {"name": ["s"]}},\n'
            '  "endpoints": [{"endpoint": "/a", "backend": [{"extra_config": {"plugin/http-client": {"name": "c"}}}],\n'
            '    "extra_config": {"plugin/req-resp-modifier": {"name": ["m"]}}}]\n')
    assert lint(tmp_path, body) == []
