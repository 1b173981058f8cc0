from __future__ import annotations

from pathlib import Path

from linter.model import Severity
from tests.helpers import lint_files, positions

MAIN = 'package main\n\nvar HandlerRegisterer = registerer("x")\n\ntype registerer string\n\nfunc main() {}\n'


def gomod(*requires: str) -> str:
    return "module example.com/p\n\ngo 1.22\n\nrequire (\n" + "".join(f"\t{r}\n" for r in requires) + ")\n"


def test_no_pinned_release_is_a_warning_that_names_the_releases_the_modules_fit(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": gomod("golang.org/x/sys v0.21.0 // indirect"), "main.go": MAIN})
    assert positions(findings, "KP10") == [("KP107", "go.mod", 1, 8)]
    finding = next(f for f in findings if f.rule == "KP107")
    assert finding.severity == Severity.WARNING and "fit KrakenD 2.7.0" in finding.message


def test_modules_that_no_release_links_are_an_error(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {"go.mod": gomod("github.com/gin-gonic/gin v1.3.0"), "main.go": MAIN})
    assert [(f.rule, f.severity) for f in findings if f.rule.startswith("KP10")] == [("KP107", Severity.ERROR)]


def test_a_1x_plugin_is_named_as_such_and_a_pinned_release_is_quiet(tmp_path: Path) -> None:
    one_x = lint_files(tmp_path / "a", {"go.mod": gomod("github.com/devopsfaith/krakend v1.1.1"), "main.go": MAIN})
    assert [f.message for f in one_x if f.rule == "KP107"] == [
        "no KrakenD release is pinned for this plugin (a KrakenD 1.x plugin: its modules were not compared)"]
    pinned = lint_files(tmp_path / "b", {"go.mod": gomod("golang.org/x/sys v0.21.0 // indirect"), "main.go": MAIN},
                        krakend_version="2.7.0")
    assert positions(pinned, "KP107") == []


def test_a_module_that_carries_its_own_lura_gateway_needs_no_release(tmp_path: Path) -> None:
    host = ('package main\n\nimport plugin "github.com/luraproject/lura/v2/proxy/plugin"\n\n'
            'func main() {\n\t_, _ = plugin.Load("./plugins", ".so", nil)\n}\n')
    findings = lint_files(tmp_path, {"go.mod": gomod("github.com/gin-gonic/gin v1.3.0"), "plugins/a/main.go": MAIN,
                                     "cmd/gateway/main.go": host})
    assert positions(findings, "KP107") == []


def test_an_old_go_mod_that_fits_nothing_is_only_a_warning(tmp_path: Path) -> None:
    old = "module example.com/p\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.3.0\n"
    findings = lint_files(tmp_path, {"go.mod": old, "main.go": MAIN})
    assert [(f.rule, f.severity) for f in findings if f.rule == "KP107"] == [("KP107", Severity.WARNING)]
