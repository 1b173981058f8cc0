"""KP105 vendor-modules-mismatch: vendor/modules.txt against go.mod (as `go build` checks it) and
against KrakenD. The last test lets the real Go command judge the same trees."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from linter.inputs.gomod import parse_gomod
from linter.inputs.modules_txt import parse_modules_txt
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference
from linter.model import Finding
from linter.rules.base import RuleContext
from linter.rules.vendor_modules_mismatch import check
from tests.gotoolchain import go_binary, go_env
from tests.helpers import positions

KRAKEND = {"golang.org/x/sys": "v0.21.0", "github.com/gin-gonic/gin": "v1.9.1"}
TXT = "vendor/modules.txt"


def lint(gomod: str, modules_txt: str, modules: Mapping[str, str] | None = KRAKEND) -> list[Finding]:
    mod = parse_gomod(textwrap.dedent(gomod).lstrip("\n").encode(), "go.mod")
    txt = parse_modules_txt(textwrap.dedent(modules_txt).lstrip("\n").encode(), TXT)
    assert mod.problems == () and txt.problems == ()
    ref = Reference("2.7.0", "files", "test", modules=dict(modules), sum_versions=dict(modules)) if modules else None
    return list(check(Workspace(plugins=(PluginRoot(".", mod, None, txt),)), RuleContext(reference=ref)))


GOMOD = """
module m

go 1.22

require (
\tgolang.org/x/sys v0.21.0
\tgithub.com/google/uuid v1.6.0 // indirect
)
"""

CONSISTENT = """
# github.com/google/uuid v1.6.0
## explicit
github.com/google/uuid
# golang.org/x/sys v0.21.0
## explicit; go 1.18
golang.org/x/sys/unix
"""


def test_consistent_vendor_passes() -> None:
    assert positions(lint(GOMOD, CONSISTENT)) == []


def test_version_disagreeing_with_gomod() -> None:
    findings = lint(GOMOD, CONSISTENT.replace("golang.org/x/sys v0.21.0", "golang.org/x/sys v0.20.0"))
    assert positions(findings) == [("KP105", TXT, 4, 3)]
    assert "v0.20.0" in findings[0].message and "v0.21.0" in findings[0].message


def test_explicit_marks_both_ways() -> None:
    unmarked = CONSISTENT.replace("## explicit\n", "", 1)
    assert positions(lint(GOMOD, unmarked)) == [("KP105", TXT, 1, 3)]
    extra = CONSISTENT + "# github.com/extra/mod v1.0.0\n## explicit\ngithub.com/extra/mod\n"
    assert positions(lint(GOMOD, extra)) == [("KP105", TXT, 7, 3)]


def test_missing_module_is_reported_on_gomod() -> None:
    only_uuid = "# github.com/google/uuid v1.6.0\n## explicit\ngithub.com/google/uuid\n"
    assert positions(lint(GOMOD, only_uuid)) == [("KP105", "go.mod", 6, 2)]


def test_replacements_must_match() -> None:
    replaced = GOMOD + "\nreplace github.com/google/uuid => ../uuid\n"
    vendored = CONSISTENT.replace("# github.com/google/uuid v1.6.0", "# github.com/google/uuid v1.6.0 => ../uuid")
    vendored += "# github.com/google/uuid => ../uuid\n"
    assert positions(lint(replaced, vendored)) == []
    assert positions(lint(replaced, CONSISTENT)) == [("KP105", TXT, 1, 3)]
    assert positions(lint(GOMOD, vendored)) == [("KP105", TXT, 1, 3), ("KP105", TXT, 7, 3)]


def test_vendored_module_missing_from_old_gomod_is_compared_with_krakend() -> None:
    old = "module m\n\ngo 1.16\n\nrequire github.com/gin-gonic/gin v1.9.1\n"
    txt = """
    # github.com/gin-gonic/gin v1.9.1
    ## explicit
    github.com/gin-gonic/gin
    # golang.org/x/sys v0.20.0
    golang.org/x/sys/unix
    """
    findings = lint(old, txt)
    assert positions(findings) == [("KP105", TXT, 4, 3)]
    assert "KrakenD 2.7.0" in findings[0].message
    assert positions(lint(old, txt, modules=None)) == []


def test_before_go_114_only_versions_are_checked() -> None:
    old = "module m\n\ngo 1.13\n\nrequire golang.org/x/sys v0.21.0\n"
    assert positions(lint(old, "# golang.org/x/sys v0.21.0\ngolang.org/x/sys/unix\n")) == []
    assert positions(lint(old, "# golang.org/x/sys v0.20.0\ngolang.org/x/sys/unix\n")) == [("KP105", TXT, 1, 3)]


# --- the real Go command agrees --------------------------------------------------------------------

APP_GOMOD = "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n"


def _tamper(text: str, how: str) -> str:
    if how == "drop-explicit":
        return text.replace("## explicit; go 1.21\n", "## go 1.21\n")
    if how == "other-version":
        return text.replace("# example.com/lib v1.0.0", "# example.com/lib v1.0.1")
    if how == "drop-replace":
        return text.replace(" => ../lib", "")
    return text


@pytest.mark.go
@pytest.mark.parametrize("how", ["none", "drop-explicit", "other-version", "drop-replace"])
def test_flags_exactly_what_go_calls_inconsistent_vendoring(how: str, tmp_path: Path) -> None:
    go = go_binary("1.22.10")
    if go is None:
        pytest.skip("Go 1.22.10 is not installed (tests/gotoolchain.py ensure_go)")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "go.mod").write_text("module example.com/lib\n\ngo 1.21\n")
    (tmp_path / "lib" / "lib.go").write_text("package lib\n\nconst X = 1\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "go.mod").write_text(APP_GOMOD)
    (app / "main.go").write_text('package main\n\nimport "example.com/lib"\n\nvar _ = lib.X\n\nfunc main() {}\n')
    env = go_env("1.22.10", tmp_path, GOFLAGS="")
    subprocess.run([str(go), "mod", "vendor"], cwd=app, env=env, check=True, capture_output=True)
    modules_txt = app / "vendor" / "modules.txt"
    modules_txt.write_text(_tamper(modules_txt.read_text(), how))
    listed = subprocess.run([str(go), "list", "./..."], cwd=app, env=env, capture_output=True, text=True, check=False)
    go_says_inconsistent = "inconsistent vendoring" in listed.stderr
    assert go_says_inconsistent == (how != "none"), listed.stderr
    mod = parse_gomod(APP_GOMOD.encode(), "go.mod")
    txt = parse_modules_txt(modules_txt.read_bytes(), TXT)
    ws = Workspace(plugins=(PluginRoot(".", mod, None, txt),))
    assert bool(list(check(ws, RuleContext(reference=None)))) == go_says_inconsistent
