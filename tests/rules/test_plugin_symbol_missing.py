from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.workspace import Workspace
from linter.krakend.target import Target
from linter.rules.base import RuleContext
from linter.rules.plugin_symbol_missing import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.krakend.test_verdict import HOST, plugin


def ws(exports: set[str]) -> Workspace:
    return Workspace(built_plugins=(plugin(exports=frozenset(exports)),), krakend_binary=HOST)


def test_no_registerer_is_reported() -> None:
    findings = list(check(ws({"Version", "handlerRegisterer"}), RuleContext()))
    assert positions(findings) == [("KP804", "my.so", 0, 0)]
    assert findings[0].message == ("my.so exports none of the symbols krakend (Go 1.22.10) looks up "
                                   "(HandlerRegisterer, ClientRegisterer, ModifierRegisterer); it exports "
                                   "Version, handlerRegisterer")


def test_only_an_enterprise_registerer_for_ce() -> None:
    findings = list(check(ws({"MiddlewareRegisterer"}), RuleContext()))
    assert positions(findings) == [("KP804", "my.so", 0, 0)]
    assert "exports only MiddlewareRegisterer, which KrakenD Community Edition" in findings[0].message
    assert list(check(ws({"MiddlewareRegisterer"}), RuleContext(target=Target(edition="ee")))) == []


def test_registerer_present_passes() -> None:
    assert list(check(ws({"HandlerRegisterer", "MiddlewareRegisterer"}), RuleContext())) == []
    unreadable = plugin(exports=frozenset())
    unreadable = type(unreadable)(**{**unreadable.__dict__, "exported_symbols_source": ""})
    assert list(check(Workspace(built_plugins=(unreadable,), krakend_binary=HOST), RuleContext())) == []


@pytest.mark.go
def test_real_plugin_without_registerer(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "bare.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    assert positions(findings, "KP8") == [("KP804", "my.so", 0, 0)]


@pytest.mark.go
def test_real_plugin_with_registerers_passes(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin.so")
    assert positions(lint_files(tmp_path, files, krakend_binary=Path("krakend")), "KP804") == []
