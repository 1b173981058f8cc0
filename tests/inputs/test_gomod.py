"""go.mod parser: the modfile grammar, positions, problems, and Go's version ordering.

The differential test at the end runs the real `go mod edit -json` (toolchains from
tests/gotoolchain.py) on every sample and compares what both read.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.inputs.gomod import (
    GoMod,
    canonical_module_version,
    compare_semver,
    go_version_tuple,
    is_valid_semver,
    parse_gomod,
)
from linter.model import Location
from tests.gotoolchain import go_binary, go_env

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def parse(text: str) -> GoMod:
    return parse_gomod(textwrap.dedent(text).lstrip("\n").encode(), "go.mod")


FULL = """
// Deprecated: use example.com/other instead.
module "example.com/m"

go 1.21

toolchain go1.22.5

require (
\tgolang.org/x/sys v0.20 // indirect
\t"example.com/quoted" v1.0.0
\texample.com/a v1.2.3-pre.1+incompatible // indirect; kept for tests
)

require example.com/single v0.1.0 // krakend-lint: ignore[KP101] pinned on purpose

replace example.com/a => ../a
replace example.com/b v1.0.0 => example.com/c v1.1.0

exclude example.com/x v1.0.0

// bad release
retract [v1.0.0, v1.1.0]
retract (
\t// single
\tv0.9.0
)
"""


def test_full_file_reads_every_directive() -> None:
    mod = parse(FULL)
    assert mod.problems == ()
    assert mod.module is not None
    assert (mod.module.path, mod.module.deprecated) == ("example.com/m", "use example.com/other instead.")
    assert mod.module.location == Location("go.mod", 2, 8, 2, 22)
    assert mod.go is not None and mod.go.value == "1.21" and mod.go.location == Location("go.mod", 4, 4, 4, 7)
    assert mod.toolchain is not None and mod.toolchain.value == "go1.22.5"
    assert [(r.path, r.version, r.indirect) for r in mod.requires] == [
        ("golang.org/x/sys", "v0.20.0", True),
        ("example.com/quoted", "v1.0.0", False),
        ("example.com/a", "v1.2.3-pre.1+incompatible", True),
        ("example.com/single", "v0.1.0", False),
    ]
    assert [(r.location.line, r.location.column) for r in mod.requires] == [(9, 2), (10, 2), (11, 2), (14, 9)]
    assert [(r.old_path, r.old_version, r.new_path, r.new_version) for r in mod.replaces] == [
        ("example.com/a", "", "../a", ""),
        ("example.com/b", "v1.0.0", "example.com/c", "v1.1.0"),
    ]
    assert mod.replaces[1].location == Location("go.mod", 17, 9, 17, 21)
    assert [(e.path, e.version, e.location.line) for e in mod.excludes] == [("example.com/x", "v1.0.0", 19)]
    assert [(r.low, r.high, r.rationale, r.location.line) for r in mod.retracts] == [
        ("v1.0.0", "v1.1.0", "bad release", 22),
        ("v0.9.0", "v0.9.0", "single", 25),
    ]


def test_every_comment_is_kept_with_its_line() -> None:
    mod = parse(FULL)
    assert [(c.line, c.text) for c in mod.comments] == [
        (1, "// Deprecated: use example.com/other instead."),
        (9, "// indirect"),
        (11, "// indirect; kept for tests"),
        (14, "// krakend-lint: ignore[KP101] pinned on purpose"),
        (21, "// bad release"),
        (24, "// single"),
    ]
    assert mod.comments[3].column == 35


def test_require_line_with_version_keeps_indentation_and_comment() -> None:
    mod = parse(FULL)
    sys_req = mod.require_for("golang.org/x/sys")
    assert sys_req is not None
    assert sys_req.line_text == "\tgolang.org/x/sys v0.20 // indirect"
    assert sys_req.line_with_version("v0.21.0") == "\tgolang.org/x/sys v0.21.0 // indirect"
    single = mod.require_for("example.com/single")
    assert single is not None
    assert single.line_with_version("v0.2.0") == (
        "require example.com/single v0.2.0 // krakend-lint: ignore[KP101] pinned on purpose"
    )


def test_build_list_applies_replacements_versioned_before_wildcard() -> None:
    mod = parse(
        """
        module m

        go 1.22

        require (
        \texample.com/a v1.0.0
        \texample.com/b v1.0.0
        \texample.com/c v2.0.0+incompatible
        \texample.com/a v1.2.0
        )

        replace example.com/b => example.com/b-fork v1.0.1
        replace example.com/b v1.0.0 => example.com/b-exact v1.0.2
        replace example.com/c v9.9.9 => ./never
        """
    )
    assert mod.problems == ()
    assert mod.build_list() == {
        "example.com/a": ("example.com/a", "v1.2.0"),  # listed twice: the higher wins, as MVS does
        "example.com/b": ("example.com/b-exact", "v1.0.2"),
        "example.com/c": ("example.com/c", "v2.0.0+incompatible"),
    }
    assert mod.lists_full_build()


class _CountedTuple(tuple[Any, ...]):
    """A tuple that counts how often it is walked through."""

    walks = 0

    def __iter__(self) -> Iterator[Any]:
        type(self).walks += 1
        return super().__iter__()


def test_require_blocks_record_where_they_open_and_close() -> None:
    mod = parse("""
        module m

        go 1.22

        require (
        \texample.com/a v1.0.0
        \t// a note
        \texample.com/b v1.0.0
        )

        require (
        \texample.com/c v1.0.0 // indirect
        \texample.com/d v1.0.0 // indirect; pinned
        )

        require example.com/e v1.0.0 // indirect
        require ()
        require (
        \texample.com/f v1.0.0 // indirect
        \texample.com/g v1.0.0
        )
        """)
    assert mod.problems == ()
    blocks = [(b.line, b.end_line, b.indirect) for b in mod.require_blocks]
    assert blocks == [(5, 9, False), (11, 14, True), (18, 21, False)]
    assert mod.require_blocks[1].lines == (
        "require (", "\texample.com/c v1.0.0 // indirect", "\texample.com/d v1.0.0 // indirect; pinned", ")")


def test_an_unclosed_require_block_is_not_recorded() -> None:
    mod = parse("module m\nrequire (\n\texample.com/a v1.0.0 // indirect\n")
    assert mod.require_blocks == () and [p.location.line for p in mod.problems] == [2]


def test_looking_up_every_requirement_walks_the_requires_once() -> None:
    # 20,000 requires took 50 s when each lookup scanned the whole list (issue 16): the lookups
    # must come from one index, whatever the number of requirements and replacements.
    text = "module m\n\ngo 1.22\n\nrequire (\n" + "".join(
        f"\texample.com/m{i} v1.{i % 3}.0\n" for i in range(300)) + ")\n" + "".join(
        f"replace example.com/m{i} => ./m{i}\n" for i in range(0, 300, 7))
    mod = parse(text)
    _CountedTuple.walks = 0
    counted = dataclasses.replace(mod, requires=_CountedTuple(mod.requires), replaces=_CountedTuple(mod.replaces))
    built = counted.build_list()
    for i in range(300):
        assert counted.require_for(f"example.com/m{i}") is not None
        counted.replacement_for(f"example.com/m{i}", "v1.0.0")
    assert len(built) == 300 and built["example.com/m7"] == ("./m7", "")
    assert _CountedTuple.walks <= 2


@pytest.mark.parametrize(
    ("go_line", "full"), [("go 1.16", False), ("go 1.17", True), ("go 1.21rc1", True), ("", False)]
)
def test_full_build_list_needs_go_117(go_line: str, full: bool) -> None:
    assert parse(f"module m\n{go_line}\n").lists_full_build() is full


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("module m\nrequire example.com/a\n", 2, 1),
        ("module m\nrequire example.com/a v1.x\n", 2, 23),
        ("module m\ngo 1.22\ngo 1.23\n", 3, 1),
        ("module m\ngo one\n", 2, 4),
        ("module m\nfrobnicate x\n", 2, 1),
        ("module m\nfrob (\nx\n)\n", 2, 1),
        ("module m\nrequire (\n\texample.com/a v1.0.0\n", 2, 1),
        ("module m\n/* no */\n", 2, 1),
        ("module m\nreplace example.com/a => example.com/b\n", 2, 26),
        ("module m\nreplace example.com/a => ./b v1.0.0\n", 2, 30),
        ("module m\nrequire `example.com/a` v1.0.0\n", 2, 9),
        ('module m\nrequire "example.com/a v1.0.0\n', 2, 9),
        ("module m\nretract [v1.1.0, v1.0.0]\n", 2, 10),
        ("module m\nretract v1.0.0 v1.1.0\n", 2, 1),
        ("module m\nmodule n\n", 2, 1),
    ],
)
def test_malformed_line_is_a_problem_on_its_line(text: str, line: int, column: int) -> None:
    mod = parse_gomod(text.encode(), "go.mod")
    assert (line, column) in [(p.location.line, p.location.column) for p in mod.problems]
    assert mod.module is not None and mod.module.path == "m"  # the rest is still read


def test_rest_of_file_is_read_after_a_bad_line() -> None:
    mod = parse(
        """
        module m
        require (
        \texample.com/bad
        \texample.com/good v1.0.0
        )
        go 1.22
        """
    )
    assert [p.location.line for p in mod.problems] == [3]
    assert [r.path for r in mod.requires] == ["example.com/good"]
    assert mod.go is not None and mod.go.value == "1.22"


def test_backquoted_path_is_rejected_like_go_but_still_recorded() -> None:
    mod = parse_gomod(b"module m\nrequire `example.com/raw` v1.0.0\n", "go.mod")
    assert [p.message for p in mod.problems] == ["unquoted string cannot contain quote"]
    assert [r.path for r in mod.requires] == ["example.com/raw"]


def test_quoted_path_escapes_are_decoded() -> None:
    mod = parse_gomod(b'module "example.com/\\x6d"\n', "go.mod")
    assert mod.module is not None and mod.module.path == "example.com/m"


def test_crlf_bom_and_godebug_block() -> None:
    data = b"\xef\xbb\xbfmodule m\r\n\r\ngo 1.23\r\ngodebug (\r\n\tpanicnil=1\r\n\thttp2client=0\r\n)\r\n"
    mod = parse_gomod(data, "go.mod")
    assert mod.problems == ()
    assert [(g.key, g.value, g.location.line) for g in mod.godebugs] == [("panicnil", "1", 5), ("http2client", "0", 6)]


def test_deprecation_needs_its_own_paragraph() -> None:
    assert parse("// Deprecated: gone\nmodule m\n").module.deprecated == "gone"  # type: ignore[union-attr]
    assert parse("// Deprecated: gone\n\nmodule m\n").module.deprecated == ""  # type: ignore[union-attr]
    assert parse("module m // Deprecated: inline\n").module.deprecated == "inline"  # type: ignore[union-attr]
    assert parse("// A module.\n//\n// Deprecated: see x.\nmodule m\n").module.deprecated == "see x."  # type: ignore[union-attr]


def test_binary_file_is_not_parsed() -> None:
    mod = parse_gomod(b"module m\n\0\0", "go.mod")
    assert mod.module is None and [p.location.line for p in mod.problems] == [2]


def test_tool_and_ignore_directives_are_known() -> None:
    mod = parse("module m\ngo 1.25\ntool example.com/cmd/x\nignore ./node_modules\n")
    assert mod.problems == ()
    assert [t.value for t in mod.tools] == ["example.com/cmd/x"]
    assert [i.value for i in mod.ignores] == ["./node_modules"]


# --- versions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("v1.10.0", "v1.9.0", 1),
        ("v1.0.0-alpha", "v1.0.0", -1),
        ("v1.0.0-alpha", "v1.0.0-alpha.1", -1),
        ("v1.0.0-alpha.1", "v1.0.0-alpha.beta", -1),
        ("v1.0.0-alpha.beta", "v1.0.0-beta", -1),
        ("v1.0.0-beta.2", "v1.0.0-beta.11", -1),
        ("v1.0.0-rc.1", "v1.0.0", -1),
        ("v0.0.0-20220419223038-86c51ed26bb4", "v0.0.0-20230101000000-aaaaaaaaaaaa", -1),
        ("v0.6.0-dev.0.20220419223038-86c51ed26bb4", "v0.6.0", -1),
        ("v59.3.0+incompatible", "v59.3.0", 0),
        ("v2", "v2.0.0", 0),
        ("v1.2", "v1.2.0", 0),
        ("", "v0.0.1", -1),
        ("garbage", "", 0),
        ("v1.0.0", "garbage", 1),
        ("v01.0.0", "v1.0.0", -1),  # leading zero: invalid, so lower
        ("v1.0.0-01", "v1.0.0-1", -1),  # numeric prerelease with a leading zero is invalid
    ],
)
def test_compare_semver_follows_go(a: str, b: str, expected: int) -> None:
    assert compare_semver(a, b) == expected
    assert compare_semver(b, a) == -expected


@pytest.mark.parametrize(
    ("version", "canonical"),
    [
        ("v1.2", "v1.2.0"),
        ("v2", "v2.0.0"),
        ("v1.2.3+meta", "v1.2.3"),
        ("v2.0.0+incompatible", "v2.0.0+incompatible"),
        ("v1.2.3-pre", "v1.2.3-pre"),
        ("1.2.3", ""),
        ("v1.2-pre", ""),
    ],
)
def test_canonical_module_version(version: str, canonical: str) -> None:
    assert canonical_module_version(version) == canonical
    assert is_valid_semver(version) == bool(canonical)


def test_go_versions() -> None:
    assert go_version_tuple("1.22.5") == (1, 22, 5)
    assert go_version_tuple("go1.21") == (1, 21, 0)
    assert go_version_tuple("1.21rc2") == (1, 21, 0)
    assert go_version_tuple("banana") is None


# --- every KrakenD CE go.mod, and the real Go command -------------------------------------------


def test_every_krakend_gomod_parses_cleanly() -> None:
    files = sorted(SHARED.glob("krakend/v*/go.mod"))
    if not files:
        pytest.skip(f"no KrakenD go.mod files under {SHARED}")
    for file in files:
        mod = parse_gomod(file.read_bytes(), "go.mod")
        assert mod.problems == (), file
        assert mod.module is not None and mod.module.path.endswith("/krakend-ce/v2")
        assert len(mod.requires) > 50


DIFFERENTIAL = {
    "full": FULL.replace("\\t", "\t"),
    "comments": "module m // trailing\n\n// detached\n\n// attached\nrequire a.example/b v1.0.0 // indirect\n",
    "indirect-variants": "module m\nrequire (\n\ta.example/b v1.0.0 //indirect\n"
    "\ta.example/c v1.0.0 // indirect;x\n\ta.example/d v1.0.0 // not indirect\n"
    "\ta.example/e v1.0.0 // indirect; because\n\ta.example/f v1.0.0 // indirect;\n)\n",
    "retract-block-rationale": "module m\n// why all\nretract (\n\tv1.0.0\n\t[v1.1.0, v1.2.0] // own\n)\n",
    "replace-forms": "module m\nreplace (\n\ta.example/b => /abs/dir\n\ta.example/c v1.0.0 => ./rel\n"
    "\ta.example/d => a.example/e v1.2\n)\n",
    "missing-version": "module m\nrequire a.example/b\n",
    "bad-version": "module m\nrequire a.example/b 1.0.0\n",
    "bad-go": "module m\ngo 1.022\n",
    "repeated-go": "module m\ngo 1.20\ngo 1.21\n",
    "unknown": "module m\nfoo bar\n",
    "unclosed": "module m\nrequire (\n\ta.example/b v1.0.0\n",
    "backquote": "module m\nrequire `a.example/b` v1.0.0\n",
    "local-with-version": "module m\nreplace a.example/b => ../b v1.0.0\n",
    "remote-without-version": "module m\nreplace a.example/b => a.example/c\n",
    "toolchain-bad": "module m\ntoolchain 1.22\n",
    "no-module": "go 1.21\nrequire a.example/b v1.0.0\n",
    "module-block": "// Deprecated: old\nmodule (\n\ta.example/m\n)\n",
    "go-forms": "module m\ngo 1.21rc1\ntoolchain default\n",
    "go-patch": "module m\ngo 1.21.0\ntoolchain go1.21.0+auto\n",
    "paren-trailing": "module m\nrequire (\n\ta.example/b v1.0.0\n) x\n",
    "paren-middle": "module m\nrequire a.example/b ( v1.0.0\n",
    "escapes": 'module m\nrequire "a.example/\\u0062" v1.0.0\n',
    "exclude-block": "module m\nexclude (\n\ta.example/b v1.0.0\n\ta.example/b v1.1.0\n)\n",
    "retract-suffix": "module m\nretract v1.0.0 // oops\nretract [v1.1.0,v1.2.0]\n",
    "spaces": "module   m\t\n\n  require\ta.example/b\tv1.0.0  //  indirect  \n",
    "quote-in-word": "module m\nrequire a.example/b'c v1.0.0\n",
    "arrow-glued": "module m\nreplace a.example/b=>a.example/c v1.0.0\n",
    "incompatible-noncanonical": "module m\nrequire a.example/b v2.0+incompatible\n",
    "build-meta": "module m\nrequire a.example/b v1.0.0+meta\n",
    "empty-inline-block": "module m\nrequire ()\n",
    "unknown-inline-block": "module m\nfrob ()\n",
    "empty-block": "module m\nrequire (\n)\n",
}


def _go_mod_edit_json(go: Path, workdir: Path, text: str) -> tuple[int, str, dict[str, object]]:
    (workdir / "go.mod").write_text(text, encoding="utf-8")
    env = go_env("1.22.10", workdir)
    done = subprocess.run(
        [str(go), "mod", "edit", "-json", "go.mod"], cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stderr, json.loads(done.stdout) if done.returncode == 0 else {}


def _ours(mod: GoMod) -> dict[str, object]:
    out: dict[str, object] = {}
    if mod.module:
        out["Module"] = {
            "Path": mod.module.path,
            **({"Deprecated": mod.module.deprecated} if mod.module.deprecated else {}),
        }
    if mod.go:
        out["Go"] = mod.go.value
    if mod.toolchain:
        out["Toolchain"] = mod.toolchain.value
    out["Require"] = [
        {"Path": r.path, "Version": r.version, **({"Indirect": True} if r.indirect else {})} for r in mod.requires
    ] or None
    out["Exclude"] = [{"Path": e.path, "Version": e.version} for e in mod.excludes] or None
    out["Replace"] = [
        {
            "Old": {"Path": r.old_path, **({"Version": r.old_version} if r.old_version else {})},
            "New": {"Path": r.new_path, **({"Version": r.new_version} if r.new_version else {})},
        }
        for r in mod.replaces
    ] or None
    out["Retract"] = [
        {"Low": r.low, "High": r.high, **({"Rationale": r.rationale} if r.rationale else {})} for r in mod.retracts
    ] or None
    return out


@pytest.mark.go
@pytest.mark.parametrize("name", sorted(DIFFERENTIAL))
def test_reads_what_go_mod_edit_reads(name: str, tmp_path: Path) -> None:
    go = go_binary("1.22.10")
    if go is None:
        pytest.skip("Go 1.22.10 is not installed (tests/gotoolchain.py ensure_go)")
    text = DIFFERENTIAL[name]
    code, stderr, theirs = _go_mod_edit_json(go, tmp_path, text)
    mine = parse_gomod(text.encode(), "go.mod")
    if code != 0:
        assert mine.problems, f"Go rejects it ({stderr.strip()}) but we found no problem"
        go_lines = {int(part.split(":")[1]) for part in stderr.splitlines() if part.startswith("go.mod:")}
        # Go puts an unclosed block on the end-of-file line; we put it where the block starts.
        go_lines |= {
            int(part.split("go.mod:")[-1].split(":")[0]) for part in stderr.splitlines() if "started at" in part
        }
        assert go_lines & {p.location.line for p in mine.problems}, (stderr, mine.problems)
        return
    assert mine.problems == ()
    keys = ("Module", "Go", "Toolchain", "Require", "Exclude", "Replace", "Retract")
    expected = {k: v for k, v in theirs.items() if k in keys and v != {"Path": ""}}
    ours = {k: v for k, v in _ours(mine).items() if k in expected}
    assert ours == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n()[],=>/\"\\`'\\vV.01-+#abcrequiremodule;:")), max_size=200))
def test_any_text_parses_without_raising(text: str) -> None:
    doc = parse_gomod(text.encode(), "x")
    for problem in doc.problems:
        assert problem.location.path == "x" and problem.location.line >= 1
