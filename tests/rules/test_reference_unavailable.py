"""KP106 reference-unavailable: one notice per run when KrakenD's module versions are unknown."""

from __future__ import annotations

from pathlib import Path

from linter.inputs.gomod import parse_gomod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.krakend.target import Target
from linter.model import Severity
from linter.rules.base import RuleContext
from linter.rules.reference_unavailable import check
from tests.helpers import lint_files, positions


def workspace(*dirs: str) -> Workspace:
    roots = []
    for folder in dirs:
        path = "go.mod" if folder == "." else f"{folder}/go.mod"
        roots.append(PluginRoot(folder, parse_gomod(b"module m\ngo 1.22\n", path)))
    return Workspace(plugins=tuple(roots))


def test_missing_reference_is_said_once_per_run() -> None:
    ctx = RuleContext(target=Target(version="2.7.0"), reference=None,
                      reference_notes=("--offline: GitHub was not asked for krakend-ce v2.7.0.",))
    findings = list(check(workspace("plugins/a", "plugins/b"), ctx))
    assert positions(findings) == [("KP106", "plugins/a/go.mod", 0, 0)]
    assert findings[0].severity == Severity.NOTICE
    assert "--offline: GitHub was not asked for krakend-ce v2.7.0" in findings[0].message
    assert "--krakend-go-sum" in findings[0].hint and "reference pull" in findings[0].hint


def test_reference_present_or_no_plugin_passes() -> None:
    ref = Reference("2.7.0", "files", "test")
    assert list(check(workspace("."), RuleContext(reference=ref))) == []
    assert list(check(Workspace(), RuleContext(reference=None))) == []


def test_through_the_engine_without_a_reference(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": 'package main\n\ntype r string\n\nvar HandlerRegisterer = r("x")\n',
    }
    assert positions(lint_files(tmp_path, files, krakend_version="2.99.0"), "KP106") == [("KP106", "go.mod", 0, 0)]


def test_with_no_target_release_kp107_speaks_instead() -> None:
    assert list(check(workspace("."), RuleContext(reference=None))) == []
