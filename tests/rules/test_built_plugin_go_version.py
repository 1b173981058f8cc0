from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.gobinary import GoBinary
from linter.inputs.workspace import Workspace
from linter.rules.built_plugin_go_version import check
from tests.helpers import lint_files, positions
from tests.rules._build_helpers import PLUGIN_FILES, context, real_plugin


def test_plugin_built_with_another_go_is_reported() -> None:
    ws = Workspace(built_plugins=(GoBinary("out/p.so", go_version="1.22.4", kind="plugin"),))
    assert positions(check(ws, context("2.7.0"))) == [("KP205", "out/p.so", 0, 0)]


def test_plugin_built_with_krakend_go_passes() -> None:
    ws = Workspace(built_plugins=(GoBinary("out/p.so", go_version="1.22.5", kind="plugin"),))
    assert positions(check(ws, context("2.7.0"))) == []


@pytest.mark.go
def test_real_plugin_from_the_tree(tmp_path: Path) -> None:
    real_plugin(tmp_path / "p.so")
    findings = lint_files(tmp_path, PLUGIN_FILES, krakend_version="2.7.0")
    assert positions(findings, "KP205") == [("KP205", "p.so", 0, 0)]


@pytest.mark.parametrize(
    ("plugin_go", "target", "quoted"),
    [
        ("1.22.4", "2.7.0", "different version of package runtime/internal/sys`"),  # KrakenD 2.7.0: Go 1.22.5
        ("1.23.9", "2.7.0", "dies at start-up with `fatal error: runtime: no plugin module data`"),
        ("1.23.9", "2.10.0", "different version of package internal/goarch`"),  # KrakenD 2.10.0: Go 1.24
    ],
)
def test_hint_quotes_the_failure_of_that_go_pair(plugin_go: str, target: str, quoted: str) -> None:
    ws = Workspace(built_plugins=(GoBinary("out/p.so", go_version=plugin_go, kind="plugin"),))
    [finding] = check(ws, context(target))
    assert quoted in finding.hint
