"""KP101 shared-module-version: precise build-list comparison, go < 1.17 fallback, check-plugin mode.

The workspace is built from the real parsers and the rule runs with a hand-made KrakenD
``Reference`` (what `--krakend-go-mod/--krakend-go-sum` would give), so no network is needed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from linter.inputs.gomod import parse_gomod
from linter.inputs.gosource import parse_go_file
from linter.inputs.gosum import parse_gosum
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference, Replacement
from linter.model import Finding, Fix, Severity
from linter.rules.base import RuleContext
from linter.rules.shared_module_version import check
from tests.helpers import positions

KRAKEND = {
    "golang.org/x/sys": "v0.21.0",
    "github.com/gin-gonic/gin": "v1.9.1",
    "github.com/luraproject/lura/v2": "v2.7.0",
    "github.com/gregjones/httpcache": "v0.0.0-20190611155906-901d90724c79",
}


def reference(
    modules: Mapping[str, str] = KRAKEND,
    sums: Mapping[str, str] | None = None,
    version: str = "2.7.0",
    replacements: tuple[Replacement, ...] = (),
) -> Reference:
    return Reference(
        krakend_version=version,
        source="files",
        origin="test",
        modules=dict(modules),
        sum_versions=dict(sums if sums is not None else modules),
        replacements=replacements,
    )


def lint(files: Mapping[str, str], ref: Reference | None = None, mode: str = "precise", main_go: str = ""
         ) -> list[Finding]:
    def text(name: str) -> bytes | None:
        return textwrap.dedent(files[name]).lstrip("\n").encode() if name in files else None

    gomod, gosum = text("go.mod"), text("go.sum")
    plugin = PluginRoot(
        dir=".",
        gomod=parse_gomod(gomod, "go.mod") if gomod is not None else None,
        gosum=parse_gosum(gosum, "go.sum") if gosum is not None else None,
        sources=(parse_go_file(main_go.encode(), "main.go"),) if main_go else (),
    )
    ctx = RuleContext(reference=ref if ref is not None else reference(), mode=mode)
    return list(check(Workspace(plugins=(plugin,)), ctx))


GOMOD = """
module example.com/myplugin

go 1.22

require (
\tgolang.org/x/sys v0.20.0 // indirect
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/only/mine v1.0.0
)
"""


def test_precise_reports_the_require_line_with_a_fix() -> None:
    findings = lint({"go.mod": GOMOD})
    assert positions(findings) == [("KP101", "go.mod", 6, 2)]
    finding = findings[0]
    assert finding.severity == Severity.ERROR
    assert "v0.20.0" in finding.message and "v0.21.0" in finding.message and "KrakenD 2.7.0" in finding.message
    assert finding.fix is not None
    assert (finding.fix.line, finding.fix.replacement) == (6, "\tgolang.org/x/sys v0.21.0 // indirect")


def test_precise_passes_when_shared_modules_match() -> None:
    fixed = GOMOD.replace("v0.20.0", "v0.21.0")
    assert positions(lint({"go.mod": fixed})) == []


def test_single_line_require_fix_keeps_the_verb() -> None:
    findings = lint({"go.mod": "module m\ngo 1.21\nrequire github.com/gin-gonic/gin v1.9.0\n"})
    assert positions(findings) == [("KP101", "go.mod", 3, 9)]
    assert findings[0].fix is not None and findings[0].fix.replacement == "require github.com/gin-gonic/gin v1.9.1"


def test_replaced_and_framework_modules_are_left_to_kp103_and_kp104() -> None:
    gomod = """
    module m

    go 1.22

    require (
    \tgithub.com/gin-gonic/gin v1.9.0
    \tgithub.com/luraproject/lura/v2 v2.6.0
    \tgithub.com/gregjones/httpcache v0.0.0-20180305231024-9cad4c3443a7
    )

    replace github.com/gin-gonic/gin => ../gin
    """
    krakend_replace = Replacement(
        "github.com/gregjones/httpcache",
        "v0.0.0-20190611155906-901d90724c79",
        "github.com/m4ns0ur/httpcache",
        "v0.0.0-20200426190423-1040e2e8823f",
    )
    assert positions(lint({"go.mod": gomod}, reference(replacements=(krakend_replace,)))) == []


def test_go_below_117_reads_the_rest_from_gosum_and_says_so() -> None:
    files = {
        "go.mod": "module m\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.9.0\n",
        "go.sum": """
        github.com/gin-gonic/gin v1.9.0 h1:a=
        github.com/gin-gonic/gin v1.9.0/go.mod h1:b=
        golang.org/x/sys v0.19.0 h1:c=
        golang.org/x/sys v0.20.0 h1:d=
        golang.org/x/sys v0.22.0/go.mod h1:e=
        """,
    }
    findings = lint(files)
    # x/sys is not required: reported where the fix adds it, after the last require line
    assert positions(findings) == [("KP101", "go.mod", 5, 1), ("KP101", "go.mod", 5, 9)]
    listed, from_sum = sorted(findings, key=lambda f: f.location.column, reverse=True)
    assert "go 1.16" in listed.message
    assert "read from go.sum" in from_sum.message and "v0.20.0" in from_sum.message
    assert [(r.path, r.line) for r in from_sum.related] == [("go.sum", 4)]
    assert from_sum.fix == Fix(5, "require github.com/gin-gonic/gin v1.9.0\nrequire golang.org/x/sys v0.21.0 // indirect")


def test_a_gosum_version_above_krakends_is_not_fixed_by_a_requirement() -> None:
    # Go builds the highest version asked for: requiring KrakenD's lower one would change nothing.
    files = {
        "go.mod": "module m\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
        "go.sum": "github.com/gin-gonic/gin v1.9.1 h1:a=\ngolang.org/x/sys v0.22.0 h1:b=\n",
    }
    findings = lint(files)
    assert positions(findings) == [("KP101", "go.sum", 2, 1)]
    assert findings[0].fix is None


CP_UNREQUIRED = {
    "go.mod": """
    module m

    go 1.22

    require github.com/gin-gonic/gin v1.9.1

    require (
    \tgithub.com/a/z v1.0.0 // indirect
    \t// text stays at v0.3.0 for a reason
    \tgolang.org/x/text v0.3.0 // indirect
    )
    """,
    "go.sum": """
    github.com/gin-gonic/gin v1.9.1 h1:a=
    golang.org/x/sys v0.20.0 h1:b=
    golang.org/x/sys v0.20.0/go.mod h1:c=
    """,
}
CP_BLOCK_FIXED = """require (
\tgithub.com/a/z v1.0.0 // indirect
\tgolang.org/x/sys v0.21.0 // indirect
\t// text stays at v0.3.0 for a reason
\tgolang.org/x/text v0.3.0 // indirect
)"""


def applied(text: str, fix: Fix) -> str:
    lines = textwrap.dedent(text).lstrip("\n").split("\n")
    lines[fix.line - 1 : fix.last_line] = fix.replacement.split("\n")
    return "\n".join(lines)


def test_check_plugin_mode_adds_an_unrequired_module_to_the_indirect_block() -> None:
    findings = lint(CP_UNREQUIRED, mode="check-plugin")
    assert positions(findings) == [("KP101", "go.mod", 7, 1)]
    fix = findings[0].fix
    assert fix is not None and (fix.line, fix.end_line, fix.replacement) == (7, 11, CP_BLOCK_FIXED)
    assert [(r.path, r.line) for r in findings[0].related] == [("go.sum", 2)]
    fixed = {**CP_UNREQUIRED, "go.mod": applied(CP_UNREQUIRED["go.mod"], fix)}
    assert parse_gomod(fixed["go.mod"].encode(), "go.mod").problems == ()
    # go.sum still lists v0.20.0 until `go mod tidy`: still reported there, with nothing left to fix
    again = lint(fixed, mode="check-plugin")
    assert positions(again) == [("KP101", "go.sum", 2, 1)] and again[0].fix is None
    tidied = {**fixed, "go.sum": "github.com/gin-gonic/gin v1.9.1 h1:a=\ngolang.org/x/sys v0.21.0 h1:b=\n"}
    assert positions(lint(tidied, mode="check-plugin")) == []


def test_without_an_indirect_block_the_last_block_gets_the_requirement() -> None:
    files = {**CP_UNREQUIRED, "go.mod": "module m\ngo 1.22\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n"}
    findings = lint(files, mode="check-plugin")
    assert positions(findings) == [("KP101", "go.mod", 3, 1)]
    fix = findings[0].fix
    assert fix is not None and (fix.line, fix.end_line) == (3, 5)
    assert fix.replacement == "require (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgolang.org/x/sys v0.21.0 // indirect\n)"


def test_go_below_117_fix_makes_the_finding_go_away() -> None:
    files = {"go.mod": "module m\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.9.1 // pinned\n",
             "go.sum": "github.com/gin-gonic/gin v1.9.1 h1:a=\ngolang.org/x/sys v0.20.0 h1:b=\n"}
    findings = lint(files)
    assert positions(findings) == [("KP101", "go.mod", 5, 1)] and findings[0].fix is not None
    fixed = {**files, "go.mod": applied(files["go.mod"], findings[0].fix)}
    assert fixed["go.mod"].splitlines()[-1] == "require golang.org/x/sys v0.21.0 // indirect"
    assert positions(lint(fixed)) == []


def test_no_reference_reports_nothing() -> None:
    gomod = parse_gomod(GOMOD.lstrip("\n").encode(), "go.mod")
    ws = Workspace(plugins=(PluginRoot(".", gomod),))
    assert list(check(ws, RuleContext(reference=None))) == []


# --- check-plugin mode ------------------------------------------------------------------------------

CP_FILES = {
    "go.mod": """
    module m

    go 1.22

    require (
    \tgithub.com/gin-gonic/gin v1.9.1
    \tgolang.org/x/sys v0.20.0 // indirect
    )
    """,
    "go.sum": """
    github.com/gin-gonic/gin v1.9.1 h1:a=
    github.com/gin-gonic/gin v1.9.1/go.mod h1:b=
    github.com/gin-gonic/gin v1.10.0/go.mod h1:c=
    golang.org/x/sys v0.20.0 h1:d=
    golang.org/x/sys v0.20.0/go.mod h1:e=
    """,
}


def test_check_plugin_mode_reports_each_module_once() -> None:
    findings = lint(CP_FILES, mode="check-plugin")
    assert positions(findings) == [
        ("KP101", "go.mod", 7, 2),  # golang.org/x/sys: go.mod itself is behind; go.sum is related
        ("KP101", "go.sum", 3, 1),  # gin: only a graph-only /go.mod line is higher
    ]
    mirrored = next(f for f in findings if f.location.path == "go.mod")
    assert [(r.path, r.line) for r in mirrored.related] == [("go.sum", 4)]
    assert mirrored.fix is not None and mirrored.fix.replacement == "\tgolang.org/x/sys v0.21.0 // indirect"
    assert "go mod edit --replace golang.org/x/sys=golang.org/x/sys@v0.21.0" in mirrored.hint


def test_check_plugin_mode_before_2_0_6_compares_versions_as_strings() -> None:
    files = {
        "go.mod": "module m\ngo 1.17\nrequire github.com/gin-gonic/gin v1.10.0\n",
        "go.sum": "github.com/gin-gonic/gin v1.10.0 h1:a=\ngithub.com/gin-gonic/gin v1.9.0/go.mod h1:b=\n",
    }
    ref_old = reference({"github.com/gin-gonic/gin": "v1.10.0"}, version="2.0.5")
    ref_new = reference({"github.com/gin-gonic/gin": "v1.10.0"}, version="2.0.6")
    assert positions(lint(files, ref_old, mode="check-plugin")) == [("KP101", "go.sum", 2, 1)]
    assert positions(lint(files, ref_new, mode="check-plugin")) == []


def test_check_plugin_mode_reports_the_crash_of_old_releases() -> None:
    files = {"go.mod": "module m\ngo 1.17\n", "go.sum": "a.example/m v1.0.0 h1:a=\n\nb.example/m v1.0.0 h1:b=\n"}
    crash = lint(files, reference(version="2.0.6"), mode="check-plugin")
    assert positions(crash) == [("KP101", "go.sum", 2, 0)]
    assert "crashes" in crash[0].message
    assert positions(lint(files, reference(version="2.1.0"), mode="check-plugin")) == []


def test_check_plugin_mode_needs_gosum() -> None:
    assert positions(lint({"go.mod": "module m\ngo 1.22\n"}, mode="check-plugin")) == [("KP101", "go.mod", 0, 0)]


def test_check_plugin_mode_passes_a_clean_gosum() -> None:
    files = {
        "go.mod": "module m\ngo 1.22\nrequire golang.org/x/sys v0.21.0\n",
        "go.sum": "golang.org/x/sys v0.21.0 h1:a=\ngolang.org/x/sys v0.21.0/go.mod h1:b=\n",
    }
    assert positions(lint(files, mode="check-plugin")) == []


def test_a_reference_from_gosum_alone_is_used_for_precise_mode() -> None:
    only_sum = Reference("2.7.0", "files", "test", modules={}, sum_versions={"golang.org/x/sys": "v0.21.0"})
    assert positions(lint({"go.mod": GOMOD}, only_sum)) == [("KP101", "go.mod", 6, 2)]


def test_exact_verdict_takes_over_when_a_built_plugin_and_the_binary_are_given() -> None:
    from linter.inputs.gobinary import GoBinary, Module

    plugin = PluginRoot(dir=".", gomod=parse_gomod(textwrap.dedent(GOMOD).lstrip("\n").encode(), "go.mod"))
    host = GoBinary(path="krakend", package_hashes={"runtime": b"1"})
    built = GoBinary(path="p.so", main_module=Module("example.com/myplugin", "(devel)"),
                     package_hashes={"runtime": b"1"})
    ctx = RuleContext(reference=reference())
    exact = Workspace(plugins=(plugin,), krakend_binary=host, built_plugins=(built,))
    assert list(check(exact, ctx)) == []
    other = GoBinary(path="q.so", main_module=Module("example.com/other", "(devel)"), package_hashes={"x": b"1"})
    not_this_plugin = Workspace(plugins=(plugin,), krakend_binary=host, built_plugins=(other,))
    assert positions(check(not_this_plugin, ctx)) == [("KP101", "go.mod", 6, 2)]


def test_test_support_modules_count_only_when_the_plugin_imports_them() -> None:
    """go-spew comes with testify for tests; KrakenD links neither, so a version gap is harmless."""
    ref = reference({**KRAKEND, "github.com/davecgh/go-spew": "v1.1.2-0.20180830191138-d8f796af33cc"})
    gomod = "module m\ngo 1.22\nrequire github.com/davecgh/go-spew v1.1.1 // indirect\n"
    assert positions(lint({"go.mod": gomod}, ref)) == []
    imports = 'package main\n\nimport "github.com/davecgh/go-spew/spew"\n\nvar _ = spew.Dump\n'
    assert positions(lint({"go.mod": gomod}, ref, main_go=imports)) == [("KP101", "go.mod", 3, 9)]
