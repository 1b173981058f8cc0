from __future__ import annotations

from pathlib import Path

from linter.inputs.workspace import Workspace
from linter.krakend.sources import Notice
from linter.krakend.target import Target
from linter.model import Location, Severity
from linter.rules.base import RuleContext
from linter.rules.reference_notice import check
from tests.helpers import lint_files, positions


def test_notices_become_findings_at_the_target_location() -> None:
    ctx = RuleContext(
        target=Target(version="2.7.0", location=Location("Dockerfile", 6, 6)),
        notices=(Notice("github", "rate-limited", "rate limited", "retry later"),
                 Notice("binary", "version-mismatch", "binary is 2.6.0"),
                 Notice("resolver", "unavailable", "no reference")),
    )
    found = list(check(Workspace(), ctx))
    assert [(f.rule, f.location.path, f.location.line, f.severity) for f in found] == [
        ("KP904", "Dockerfile", 6, Severity.NOTICE),
        ("KP904", "Dockerfile", 6, Severity.WARNING),
    ]


def test_offline_without_cache_is_said_once_by_kp106(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
    }, krakend_version="2.99.0", offline=True, cache_dir=tmp_path / "cache")
    assert positions(findings, "KP904") == []  # offline with an empty cache: KP106 says it instead
    assert [p[0] for p in positions(findings, "KP106")] == ["KP106"]


def test_no_notice_when_the_reference_is_given(tmp_path: Path) -> None:
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "go.sum").write_text("golang.org/x/sys v0.1.0 h1:x=\n", encoding="utf-8")
    findings = lint_files(tmp_path, {
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
    }, krakend_version="2.7.0", krakend_go_sum=tmp_path / "k" / "go.sum")
    assert positions(findings, "KP904") == []
