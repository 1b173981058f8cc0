from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linter.inputs.gobinary import GoBinary
from linter.inputs.workspace import Workspace
from linter.model import Location
from linter.rules.base import RuleContext
from linter.rules.plugin_path_duplicate import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.krakend.test_verdict import HOST, plugin


def renamed(binary: GoBinary, path: str) -> GoBinary:
    return GoBinary(**{**binary.__dict__, "path": path})


def test_two_different_plugins_with_one_path() -> None:
    first = renamed(plugin(plugin_path="plugin"), "a/a.so")
    second = renamed(plugin({"example.com/p": b"q" * 8}, plugin_path="plugin"), "b/b.so")
    findings = list(check(Workspace(built_plugins=(second, first), krakend_binary=HOST), RuleContext()))
    assert positions(findings) == [("KP806", "b/b.so", 0, 0)]
    assert findings[0].related == (Location("a/a.so"),)
    assert "`plugin already loaded`" in findings[0].message


def test_copies_other_paths_and_no_binary_pass() -> None:
    one = plugin(plugin_path="plugin")
    copies = (one, renamed(one, "docker/my.so"))
    assert list(check(Workspace(built_plugins=copies, krakend_binary=HOST), RuleContext())) == []
    others = (one, renamed(plugin({"x": b"1" * 8}, plugin_path="other"), "b.so"))
    assert list(check(Workspace(built_plugins=others, krakend_binary=HOST), RuleContext())) == []
    twins = (one, renamed(plugin({"x": b"1" * 8}, plugin_path="plugin"), "b.so"))
    assert list(check(Workspace(built_plugins=twins), RuleContext())) == []


@pytest.mark.go
def test_real_twin_plugins(tmp_path: Path) -> None:
    out = gobuild.verdict_outputs()
    files = gobuild.plugin_repo(tmp_path, out / "plugin.so")
    (tmp_path / "twin").mkdir()
    shutil.copyfile(out / "twin.so", tmp_path / "twin" / "twin.so")
    shutil.copyfile(out / "plugin.so", tmp_path / "twin" / "copy.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    assert positions(findings, "KP806") == [("KP806", "twin/twin.so", 0, 0)]
