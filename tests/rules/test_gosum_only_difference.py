"""KP102 gosum-only-difference: go.sum-only versions are explained, not reported as errors."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from linter.inputs.gomod import parse_gomod
from linter.inputs.gosum import parse_gosum
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.model import Finding, Severity
from linter.rules.base import RuleContext
from linter.rules.gosum_only_difference import check
from tests.helpers import positions

KRAKEND = {"golang.org/x/sys": "v0.20.0", "github.com/gin-gonic/gin": "v1.9.1"}


def lint(files: Mapping[str, str], mode: str = "precise", modules: Mapping[str, str] = KRAKEND) -> list[Finding]:
    def text(name: str) -> bytes:
        return textwrap.dedent(files[name]).lstrip("\n").encode()

    plugin = PluginRoot(".", parse_gomod(text("go.mod"), "go.mod"), parse_gosum(text("go.sum"), "go.sum"))
    ref = Reference("2.7.0", "files", "test", modules=dict(modules), sum_versions=dict(modules))
    return list(check(Workspace(plugins=(plugin,)), RuleContext(reference=ref, mode=mode)))


GOMOD = """
module m

go 1.22

require (
\tgolang.org/x/sys v0.20.0 // indirect
\tgithub.com/gin-gonic/gin v1.9.1
)
"""

GOSUM = """
github.com/gin-gonic/gin v1.9.1 h1:a=
github.com/gin-gonic/gin v1.9.1/go.mod h1:b=
golang.org/x/sys v0.20.0 h1:c=
golang.org/x/sys v0.20.0/go.mod h1:d=
golang.org/x/sys v0.22.0/go.mod h1:e=
github.com/gin-gonic/gin v1.8.0 h1:f=
github.com/gin-gonic/gin v1.9.9 h1:g=
"""


def test_graph_only_and_stale_lines_get_a_notice() -> None:
    findings = lint({"go.mod": GOMOD, "go.sum": GOSUM})
    assert positions(findings) == [("KP102", "go.sum", 5, 1), ("KP102", "go.sum", 7, 1)]
    assert all(f.severity == Severity.NOTICE for f in findings)
    by_line = {f.location.line: f for f in findings}
    assert "/go.mod" in by_line[5].hint and "go mod edit -replace golang.org/x/sys=golang.org/x/sys@v0.20.0" in (
        by_line[5].hint
    )
    assert "go mod tidy" in by_line[7].hint


def test_tidy_gosum_passes() -> None:
    tidy = "\n".join(GOSUM.strip().splitlines()[:4]) + "\n"
    assert positions(lint({"go.mod": GOMOD, "go.sum": tidy})) == []


def test_a_real_build_difference_is_left_to_kp101() -> None:
    behind = GOMOD.replace("golang.org/x/sys v0.20.0", "golang.org/x/sys v0.19.0")
    gosum = "golang.org/x/sys v0.19.0 h1:c=\ngolang.org/x/sys v0.22.0/go.mod h1:e=\n"
    assert positions(lint({"go.mod": behind, "go.sum": gosum})) == []


def test_module_outside_the_build_is_explained() -> None:
    gosum = "github.com/gin-gonic/gin v1.9.1 h1:a=\ngolang.org/x/sys v0.22.0/go.mod h1:e=\n"
    gomod = "module m\ngo 1.22\nrequire github.com/gin-gonic/gin v1.9.1\n"
    findings = lint({"go.mod": gomod, "go.sum": gosum})
    assert positions(findings) == [("KP102", "go.sum", 2, 1)]
    assert "not in the build" in findings[0].message


def test_only_in_precise_mode_and_with_a_full_build_list() -> None:
    assert positions(lint({"go.mod": GOMOD, "go.sum": GOSUM}, mode="check-plugin")) == []
    old = GOMOD.replace("go 1.22", "go 1.16")
    assert positions(lint({"go.mod": old, "go.sum": GOSUM})) == []
