from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions

HEAD = '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'


def lint(tmp_path: Path, body: str) -> list[tuple[str, str, int, int]]:
    return positions(lint_files(tmp_path, {"krakend.json": HEAD + body + "}\n"}), "KP505")


def test_server_namespace_in_an_endpoint_is_reported(tmp_path: Path) -> None:
    body = ('  "endpoints": [{"endpoint": "/a", "backend": [{"host": ["h"]}],\n'
            '    "extra_config": {"plugin/http-server": {"name": ["hello"]}}}]\n')
    assert lint(tmp_path, body) == [("KP505", "krakend.json", 5, 22)]


def test_client_namespace_outside_a_backend_is_reported(tmp_path: Path) -> None:
    body = '  "extra_config": {"github.com/devopsfaith/krakend/transport/http/client/executor": {"name": "c"}}\n'
    assert lint(tmp_path, body) == [("KP505", "krakend.json", 4, 20)]


def test_two_client_namespaces_in_one_backend_are_reported(tmp_path: Path) -> None:
    body = ('  "endpoints": [{"endpoint": "/a", "backend": [{"extra_config": {\n'
            '    "plugin/http-client": {"name": "a"},\n'
            '    "github.com/devopsfaith/krakend/transport/http/client/executor": {"name": "b"}}}]}]\n')
    assert lint(tmp_path, body) == [("KP505", "krakend.json", 6, 5)]


def test_namespaces_at_their_levels_pass(tmp_path: Path) -> None:
    body = ('  "extra_config": {"plugin/http-server": {"name": ["s"]}},\n'
            '  "endpoints": [{"endpoint": "/a", "extra_config": {"plugin/req-resp-modifier": {"name": ["m"]}},\n'
            '    "backend": [{"extra_config": {"plugin/http-client": {"name": "c"},\n'
            '      "plugin/req-resp-modifier": {"name": ["m"]}}}]}],\n'
            '  "async_agent": [{"name": "x", "backend": [{"extra_config": {"plugin/http-client": {"name": "c"}}}]}]\n')
    assert lint(tmp_path, body) == []


def test_a_misspelt_namespace_at_the_wrong_level_is_reported_for_the_level_too(tmp_path: Path) -> None:
    config = ('{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'
              '  "endpoints": [{"endpoint": "/a", "backend": [{"url_pattern": "/a"}],\n'
              '    "extra_config": {"github.com/devopsfaith/krakend/transport/http/server/handler": {"name": ["x"]}}}]\n}\n')
    findings = lint_files(tmp_path, {"krakend.json": config}, krakend_version="2.7.0")
    assert [p[:3] for p in positions(findings, "KP505")] == [("KP505", "krakend.json", 5)]
