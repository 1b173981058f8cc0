"""KP103 shared-module-replace: the plugin's replaces and KrakenD's replaces on shared modules."""

from __future__ import annotations

import textwrap

from linter.inputs.gomod import parse_gomod
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference, Replacement
from linter.model import Finding
from linter.rules.base import RuleContext
from linter.rules.shared_module_replace import check
from tests.helpers import positions

HTTPCACHE = "github.com/gregjones/httpcache"
HTTPCACHE_V = "v0.0.0-20190611155906-901d90724c79"
FORK = Replacement(HTTPCACHE, HTTPCACHE_V, "github.com/m4ns0ur/httpcache", "v0.0.0-20200426190423-1040e2e8823f")
MODULES = {"github.com/gin-gonic/gin": "v1.9.1", HTTPCACHE: HTTPCACHE_V}


def lint(gomod: str, replacements: tuple[Replacement, ...] = ()) -> list[Finding]:
    mod = parse_gomod(textwrap.dedent(gomod).lstrip("\n").encode(), "go.mod")
    assert mod.problems == ()
    ref = Reference("2.1.0", "files", "test", modules=MODULES, sum_versions=MODULES, replacements=replacements)
    return list(check(Workspace(plugins=(PluginRoot(".", mod),)), RuleContext(reference=ref)))


def test_plugin_replace_of_a_shared_module_is_an_error_with_a_fix() -> None:
    findings = lint(
        """
        module m
        go 1.22
        require github.com/gin-gonic/gin v1.9.1
        replace github.com/gin-gonic/gin => github.com/myfork/gin v1.9.2
        """
    )
    assert positions(findings) == [("KP103", "go.mod", 4, 9)]
    assert findings[0].fix is not None
    assert findings[0].fix.replacement == "replace github.com/gin-gonic/gin => github.com/gin-gonic/gin v1.9.1"


def test_local_directory_replace_in_a_block() -> None:
    findings = lint(
        """
        module m
        go 1.22
        require github.com/gin-gonic/gin v1.9.1
        replace (
        \tgithub.com/gin-gonic/gin v1.9.1 => ../gin
        )
        """
    )
    assert positions(findings) == [("KP103", "go.mod", 5, 2)]
    assert "local directory ../gin" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.replacement == "\tgithub.com/gin-gonic/gin v1.9.1 => github.com/gin-gonic/gin v1.9.1"


def test_replace_to_krakends_exact_version_passes() -> None:
    gomod = """
    module m
    go 1.22
    require github.com/gin-gonic/gin v1.9.0 // indirect
    replace github.com/gin-gonic/gin => github.com/gin-gonic/gin v1.9.1
    replace github.com/not/shared => ../elsewhere
    """
    assert positions(lint(gomod)) == []


def test_module_krakend_replaces_needs_the_same_replace() -> None:
    gomod = f"""
    module m
    go 1.22
    require {HTTPCACHE} {HTTPCACHE_V}
    """
    findings = lint(gomod, (FORK,))
    assert positions(findings) == [("KP103", "go.mod", 3, 9)]
    assert "replace github.com/gregjones/httpcache" in findings[0].hint
    same = gomod + f"replace {FORK.old_path} {FORK.old_version} => {FORK.new_path} {FORK.new_version}\n"
    assert positions(lint(same, (FORK,))) == []


def test_plugin_replace_differing_from_krakends() -> None:
    gomod = f"""
    module m
    go 1.22
    require {HTTPCACHE} {HTTPCACHE_V}
    replace {HTTPCACHE} => github.com/other/httpcache v1.0.0
    """
    findings = lint(gomod, (FORK,))
    assert positions(findings) == [("KP103", "go.mod", 4, 9)]
    assert "replaces it by github.com/m4ns0ur/httpcache" in findings[0].message
