from __future__ import annotations

from pathlib import Path

import pytest

from linter.inputs.gobinary import Module
from linter.inputs.gomod import parse_gomod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.model import Fix
from linter.rules.base import RuleContext
from linter.rules.package_hash_mismatch import check
from tests import gobuild
from tests.helpers import lint_files, positions
from tests.inputs.test_gobinary import build as gobinary_build
from tests.krakend.test_verdict import HOST, plugin

GOMOD = b"module example.com/p\n\ngo 1.22\n\nrequire (\n\tgithub.com/a/b v1.3.0 // pinned\n\texample.com/x v0.1.0\n)\n"
DEPS = (Module("github.com/a/b", "v1.3.0"), Module("github.com/a/b/v2", "v2.0.0"), Module("example.com/x", "v0.1.0"))


def workspace(*plugins: object) -> Workspace:
    root = PluginRoot("p", parse_gomod(GOMOD, "p/go.mod"))
    return Workspace(plugins=(root,), built_plugins=plugins, krakend_binary=HOST)  # type: ignore[arg-type]


def test_one_finding_per_module_on_its_require_line() -> None:
    mine = plugin({"github.com/a/b": b"x" * 8, "github.com/a/b/sub": b"y" * 8, "example.com/x": b"w" * 8},
                  deps=DEPS)
    findings = list(check(workspace(mine), RuleContext()))
    assert positions(findings) == [("KP801", "p/go.mod", 6, 2), ("KP801", "p/go.mod", 7, 2)]
    by_line = {f.location.line: f for f in findings}
    assert "links github.com/a/b v1.3.0 but krakend" in by_line[6].message
    assert "links v1.2.0: 2 packages differ (github.com/a/b, github.com/a/b/sub)" in by_line[6].message
    assert by_line[6].fix == Fix(6, "\tgithub.com/a/b v1.2.0 // pinned")
    assert "replace example.com/x => example.com/fork v0.2.0" in by_line[7].hint and by_line[7].fix is None


def test_standard_library_finding_folds_same_version_modules() -> None:
    mine = plugin({"runtime": b"r" * 8, "github.com/a/b/v2": b"z" * 8}, go="1.23.9", deps=DEPS)
    findings = list(check(workspace(mine), RuleContext()))
    assert positions(findings) == [("KP801", "my.so", 0, 0)]
    message = findings[0].message
    assert message.startswith("1 Go standard library package differs (runtime): my.so was built with Go 1.23.9")
    assert "so do 1 package of modules at the same version on both sides (github.com/a/b/v2)" in message


def test_same_version_module_alone_names_the_build_difference() -> None:
    mine = plugin({"github.com/a/b/v2": b"z" * 8}, deps=DEPS, settings={"-gcflags": "all=-N -l"})
    findings = list(check(workspace(mine), RuleContext()))
    assert positions(findings) == [("KP801", "my.so", 0, 0)]
    assert "compiled differently (-gcflags=all=-N -l in the plugin only)" in findings[0].message


def test_matching_plugin_and_no_binary_pass() -> None:
    assert list(check(workspace(plugin()), RuleContext())) == []
    mine = plugin({"runtime": b"r" * 8})
    assert list(check(Workspace(built_plugins=(mine,)), RuleContext())) == []


@pytest.mark.go
def test_real_plugin_built_against_another_module_version(tmp_path: Path) -> None:
    out = gobuild.verdict_outputs()
    files = gobuild.plugin_repo(tmp_path, out / "plugin-util4.so", gomod="plugin-util4/go.mod")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    assert positions(findings, "KP8") == [("KP801", "go.mod", 8, 2)]
    assert findings[[f.rule for f in findings].index("KP801")].fix == Fix(8, "\texample.com/kpl/util v0.3.0")


@pytest.mark.go
def test_real_trimpath_plugin(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin-trimpath.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    assert positions(findings, "KP8") == [("KP801", "my.so", 0, 0)]
    assert "-trimpath=true in the plugin only" in next(f.message for f in findings if f.rule == "KP801")


@pytest.mark.go
def test_real_plugin_from_another_go_release(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs(gobuild.gotoolchain.CI_VERSIONS[1]) / "plugin.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    # one cause, one finding: KP802 folds KP801's report of the standard library's hashes
    assert positions(findings, "KP80") == [("KP802", "my.so", 0, 0)]
    assert "KP801" in next(f.message for f in findings if f.rule == "KP802")


@pytest.mark.go
def test_real_plugin_built_in_another_module_cache(tmp_path: Path) -> None:
    """Same sources and versions, other GOPATH: the shared module's hash differs."""
    files = gobuild.plugin_repo(tmp_path, gobinary_build(gobuild.gotoolchain.CI_VERSIONS[0]) / "plugin.so")
    findings = lint_files(tmp_path, files, krakend_binary=Path("krakend"))
    assert positions(findings, "KP8") == [("KP801", "go.mod", 8, 2)]
    assert "is linked by both my.so and krakend" in findings[[f.rule for f in findings].index("KP801")].message


@pytest.mark.go
def test_real_matching_plugin_passes(tmp_path: Path) -> None:
    files = gobuild.plugin_repo(tmp_path, gobuild.verdict_outputs() / "plugin.so")
    assert positions(lint_files(tmp_path, files, krakend_binary=Path("krakend")), "KP801") == []
