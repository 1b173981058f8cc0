from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.workspace import Workspace
from linter.model import Severity
from linter.rules.base import RuleContext
from linter.rules.load_verdict import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.krakend.test_verdict import HOST, binary, plugin


def test_positive_verdict_only_when_everything_matches() -> None:
    findings = list(check(Workspace(built_plugins=(plugin(),), krakend_binary=HOST), RuleContext()))
    assert positions(findings) == [("KP805", "my.so", 0, 0)]
    assert findings[0].message == "my.so will load into krakend (Go 1.22.10): all 6 shared packages match"
    assert findings[0].severity is Severity.NOTICE


def test_no_positive_verdict_on_a_difference_or_in_check_plugin_mode() -> None:
    bad = Workspace(built_plugins=(plugin({"runtime": b"r" * 8}),), krakend_binary=HOST)
    assert list(check(bad, RuleContext())) == []
    good = Workspace(built_plugins=(plugin(),), krakend_binary=HOST)
    assert list(check(good, RuleContext(mode="check-plugin"))) == []
    assert list(check(Workspace(built_plugins=(plugin(),)), RuleContext())) == []


def test_inexact_comparison_says_why() -> None:
    no_hashes = binary("krakend", {}, kind="executable")
    findings = list(check(Workspace(built_plugins=(plugin(),), krakend_binary=no_hashes), RuleContext()))
    assert positions(findings) == [("KP805", "my.so", 0, 0)]
    assert findings[0].message.startswith("no exact load verdict for my.so in krakend (Go 1.22.10): krakend has no "
                                          "package link hashes")


@pytest.mark.go
def test_real_matching_plugin_gets_the_positive_verdict(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"), krakend_version="2.7.0")
    assert positions(findings, "KP8") == [("KP805", "my.so", 0, 0)]
    message = next(f.message for f in findings if f.rule == "KP805")
    assert message.startswith("my.so will load into krakend (KrakenD 2.7.0, Go 1.22.10): all ")
    assert message.endswith(" shared packages match")


@pytest.mark.go
def test_real_mismatching_plugin_gets_no_positive_verdict(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin-trimpath.so")
    assert positions(lint_files(tmp_path, files, krakend_binary=Path("krakend")), "KP805") == []
