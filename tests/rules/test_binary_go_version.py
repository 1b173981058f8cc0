from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.workspace import Workspace
from linter.rules.base import RuleContext
from linter.rules.binary_go_version import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.krakend.test_verdict import HOST, plugin


def test_other_go_release_is_reported_with_the_crash() -> None:
    ws = Workspace(built_plugins=(plugin({"runtime": b"r" * 8}, go="1.23.9"),), krakend_binary=HOST)
    findings = list(check(ws, RuleContext()))
    assert positions(findings) == [("KP802", "my.so", 0, 0)]
    assert findings[0].message.startswith("my.so was built with Go 1.23.9 but krakend with Go 1.22.10")
    assert "runtime: no plugin module data" in findings[0].message


def test_same_go_release_or_no_binary_passes() -> None:
    assert list(check(Workspace(built_plugins=(plugin(),), krakend_binary=HOST), RuleContext())) == []
    assert list(check(Workspace(built_plugins=(plugin(go="1.23.9"),)), RuleContext())) == []


@pytest.mark.go
def test_real_go_1_23_plugin_in_a_go_1_22_host(tmp_path: Path) -> None:
    newer = gobuild.verdict_outputs(gobuild.gotoolchain.CI_VERSIONS[1]) / "plugin.so"
    findings = lint_files(tmp_path, gobuild.plugin_repo(tmp_path, newer), krakend_binary=Path("krakend"))
    assert positions(findings, "KP802") == [("KP802", "my.so", 0, 0)]


@pytest.mark.go
def test_real_same_release_passes(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin.so")
    assert positions(lint_files(tmp_path, files, krakend_binary=Path("krakend")), "KP802") == []
