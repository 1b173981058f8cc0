"""KP104 krakend-framework-import: lura and krakend-* components, versions and renamed paths."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from linter.inputs.gomod import parse_gomod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.model import Finding, Severity
from linter.rules.base import RuleContext
from linter.rules.krakend_framework_import import check
from tests.helpers import lint_files, positions

KRAKEND_2_11 = {
    "github.com/luraproject/lura/v2": "v2.12.0",
    "github.com/krakend/krakend-jose/v2": "v2.10.0",
    "github.com/gin-gonic/gin": "v1.10.1",
}


def lint(requires: str, modules: Mapping[str, str] | None = KRAKEND_2_11, mode: str = "precise") -> list[Finding]:
    mod = parse_gomod(f"module m\n\ngo 1.22\n\n{requires}\n".encode(), "go.mod")
    assert mod.problems == ()
    ref = Reference("2.11.0", "files", "test", modules=dict(modules), sum_versions=dict(modules)) if modules else None
    return list(check(Workspace(plugins=(PluginRoot(".", mod),)), RuleContext(reference=ref, mode=mode)))


def test_lura_at_another_version_is_an_error_with_a_fix() -> None:
    findings = lint("require github.com/luraproject/lura/v2 v2.11.0")
    assert positions(findings) == [("KP104", "go.mod", 5, 9)]
    assert findings[0].severity == Severity.ERROR
    assert findings[0].fix is not None
    assert findings[0].fix.replacement == "require github.com/luraproject/lura/v2 v2.12.0"


def test_lura_at_krakends_version_is_only_a_notice() -> None:
    findings = lint("require github.com/luraproject/lura/v2 v2.12.0")
    assert positions(findings) == [("KP104", "go.mod", 5, 9)]
    assert findings[0].severity == Severity.NOTICE and findings[0].fix is None


def test_renamed_component_path_is_explained() -> None:
    findings = lint(
        "require (\n\tgithub.com/devopsfaith/krakend-jose/v2 v2.0.0\n\tgithub.com/devopsfaith/krakend v1.4.1\n)"
    )
    assert positions(findings) == [("KP104", "go.mod", 6, 2), ("KP104", "go.mod", 7, 2)]
    jose, lura = findings
    assert "github.com/krakend/krakend-jose/v2 v2.10.0" in jose.message
    assert "github.com/luraproject/lura/v2 v2.12.0" in lura.message
    assert all(f.severity == Severity.WARNING for f in findings)


def test_without_reference_and_in_check_plugin_mode_only_warns() -> None:
    findings = lint("require github.com/krakendio/krakend-cobra/v2 v2.1.0", modules=None)
    assert positions(findings) == [("KP104", "go.mod", 5, 9)]
    assert findings[0].severity == Severity.WARNING
    cp = lint("require github.com/luraproject/lura/v2 v2.11.0", mode="check-plugin")
    assert [f.severity for f in cp] == [Severity.WARNING]
    assert "KP101" in cp[0].message


def test_ordinary_modules_pass() -> None:
    assert (
        positions(lint("require (\n\tgithub.com/gin-gonic/gin v1.10.1\n\tgithub.com/krakenish/thing v1.0.0\n)")) == []
    )


def test_through_the_engine_with_an_inline_suppression(tmp_path: Path) -> None:
    gomod = "module example.com/p\n\ngo 1.22\n\nrequire github.com/luraproject/lura/v2 v2.6.0{}\n"
    main = 'package main\n\ntype r string\n\nvar HandlerRegisterer = r("x")\n'
    found = lint_files(tmp_path / "a", {"go.mod": gomod.format(""), "main.go": main})
    assert positions(found, "KP104") == [("KP104", "go.mod", 5, 9)]
    ignored = gomod.format(" // krakend-lint: ignore[KP104] shared types on purpose")
    assert positions(lint_files(tmp_path / "b", {"go.mod": ignored, "main.go": main}), "KP104") == []


def test_a_module_that_hosts_its_own_plugins_shares_nothing_with_a_release(tmp_path: Path) -> None:
    host = ('package main\n\nimport plugin "github.com/luraproject/lura/v2/proxy/plugin"\n\n'
            'func main() {\n\t_, _ = plugin.Load("./plugins", ".so", nil)\n}\n')
    files = {"go.mod": "module poc\n\ngo 1.22\n\nrequire github.com/luraproject/lura/v2 v2.0.4\n",
             "cmd/gateway/main.go": host,
             "plugins/a/main.go": 'package main\n\nvar ModifierRegisterer = r("a")\n\ntype r string\n'}
    assert positions(lint_files(tmp_path, files, krakend_version="2.7.0"), "KP1") == []
