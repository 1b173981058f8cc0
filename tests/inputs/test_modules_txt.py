"""vendor/modules.txt parser: module lines, replacements, annotations, packages, problems."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.inputs.modules_txt import ModulesTxt, parse_modules_txt
from linter.model import Location
from tests.gotoolchain import go_binary, go_env

MODULES_TXT = b"""# github.com/a/b v1.2.3
## explicit; go 1.17
github.com/a/b
github.com/a/b/sub
# golang.org/x/sys v0.20.0
## explicit
golang.org/x/sys/unix
# example.com/old v1.0.0 => example.com/new v1.1.0
## explicit; go 1.20
example.com/old/pkg
# example.com/local v0.0.0 => ../local
example.com/local
# example.com/wild => example.com/fork v2.0.0
# example.com/dir => ./dir
"""


def parse(data: bytes) -> ModulesTxt:
    return parse_modules_txt(data, "vendor/modules.txt")


def test_modules_with_annotations_packages_and_positions() -> None:
    txt = parse(MODULES_TXT)
    assert txt.problems == ()
    got = [
        (m.path, m.version, m.replacement_path, m.replacement_version, m.explicit, m.go_version, m.packages)
        for m in txt.modules
    ]
    assert got == [
        ("github.com/a/b", "v1.2.3", "", "", True, "1.17", ("github.com/a/b", "github.com/a/b/sub")),
        ("golang.org/x/sys", "v0.20.0", "", "", True, "", ("golang.org/x/sys/unix",)),
        ("example.com/old", "v1.0.0", "example.com/new", "v1.1.0", True, "1.20", ("example.com/old/pkg",)),
        ("example.com/local", "v0.0.0", "../local", "", False, "", ("example.com/local",)),
        ("example.com/wild", "", "example.com/fork", "v2.0.0", False, "", ()),
        ("example.com/dir", "", "./dir", "", False, "", ()),
    ]
    assert txt.modules[0].location == Location("vendor/modules.txt", 1, 3, 1, 16)
    assert txt.modules[2].location.line == 8


def test_lookup_prefers_versioned_entries() -> None:
    txt = parse(MODULES_TXT)
    found = txt.module_for("golang.org/x/sys")
    assert found is not None and found.version == "v0.20.0"
    assert txt.module_for("golang.org/x/sys", "v0.21.0") is None
    wild = txt.module_for("example.com/wild", "")
    assert wild is not None and wild.replaced
    assert [m.path for m in txt.explicit()] == ["github.com/a/b", "golang.org/x/sys", "example.com/old"]


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("# github.com/a/b", 1),  # no version
        ("# github.com/a/b 1.0", 18),  # not a version
        ("# github.com/a/b v1.0.0 => ", 1),  # replacement without a target
        ("# github.com/a/b v1.0.0 -> x v1.0.0", 1),  # not an arrow
    ],
)
def test_malformed_module_line_is_a_problem(line: str, column: int) -> None:
    txt = parse(f"{line}\nstray/pkg\n# ok.example/m v1.0.0\nok.example/m\n".encode())
    assert [(p.location.line, p.location.column) for p in txt.problems][:1] == [(1, column)]
    assert [(m.path, m.packages) for m in txt.modules] == [("ok.example/m", ("ok.example/m",))]


def test_package_line_before_any_module_is_a_problem() -> None:
    txt = parse(b"stray/pkg\n# a.example/m v1.0.0\n")
    assert [p.location.line for p in txt.problems] == [1]
    assert len(txt.modules) == 1


def test_other_comments_and_blank_lines_are_ignored() -> None:
    txt = parse(b"# a.example/m v1.0.0\n#comment\n\n## explicit; future-flag\na.example/m\n")
    assert txt.problems == ()
    assert txt.modules[0].explicit and txt.modules[0].packages == ("a.example/m",)


@pytest.mark.go
def test_reads_what_go_mod_vendor_writes(tmp_path: Path) -> None:
    go = go_binary("1.22.10")
    if go is None:
        pytest.skip("Go 1.22.10 is not installed (tests/gotoolchain.py ensure_go)")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "go.mod").write_text("module example.com/lib\n\ngo 1.21\n")
    (tmp_path / "lib" / "lib.go").write_text("package lib\n\nconst X = 1\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "go.mod").write_text(
        "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n"
    )
    (tmp_path / "app" / "main.go").write_text('package main\n\nimport "example.com/lib"\n\nvar _ = lib.X\n')
    env = go_env("1.22.10", tmp_path)
    subprocess.run([str(go), "mod", "vendor"], cwd=tmp_path / "app", env=env, check=True, capture_output=True)
    txt = parse((tmp_path / "app" / "vendor" / "modules.txt").read_bytes())
    assert txt.problems == ()
    versioned = txt.module_for("example.com/lib", "v1.0.0")
    assert versioned is not None
    assert (versioned.replacement_path, versioned.explicit, versioned.go_version, versioned.packages) == (
        "../lib",
        True,
        "1.21",
        ("example.com/lib",),
    )
    wildcard = txt.module_for("example.com/lib", "")
    assert wildcard is not None and wildcard.replacement_path == "../lib"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n()[],=>/\"\\`'\\vV.01-+#abcrequiremodule;:")), max_size=200))
def test_any_text_parses_without_raising(text: str) -> None:
    doc = parse_modules_txt(text.encode(), "x")
    for problem in doc.problems:
        assert problem.location.path == "x" and problem.location.line >= 1
