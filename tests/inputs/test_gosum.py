"""go.sum parser: entries with positions, malformed lines, and check-plugin's max-version reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.inputs.gosum import GoSum, fold_max_versions, parse_gosum, strip_gomod_suffix
from linter.model import Location

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

SUM = b"""github.com/a/b v1.9.0 h1:aaa=
github.com/a/b v1.9.0/go.mod h1:bbb=
github.com/a/b v1.10.0/go.mod h1:ccc=

golang.org/x/sys v0.20.0 h1:ddd=
golang.org/x/sys v0.20.0/go.mod h1:eee=
golang.org/x/sys v0.21.0-rc.1/go.mod h1:fff=
"""


def parse(data: bytes) -> GoSum:
    return parse_gosum(data, "plugin/go.sum")


def test_entries_carry_position_and_kind() -> None:
    gosum = parse(SUM)
    assert gosum.problems == ()
    assert [(e.module, e.version, e.is_gomod, e.location.line) for e in gosum.entries] == [
        ("github.com/a/b", "v1.9.0", False, 1),
        ("github.com/a/b", "v1.9.0", True, 2),
        ("github.com/a/b", "v1.10.0", True, 3),
        ("golang.org/x/sys", "v0.20.0", False, 5),
        ("golang.org/x/sys", "v0.20.0", True, 6),
        ("golang.org/x/sys", "v0.21.0-rc.1", True, 7),
    ]
    assert gosum.entries[0].location == Location("plugin/go.sum", 1, 1, 1, 14)
    assert gosum.entries[0].hash == "h1:aaa="


def test_max_versions_is_semver_over_every_line() -> None:
    assert parse(SUM).max_versions() == {"github.com/a/b": "v1.10.0", "golang.org/x/sys": "v0.21.0-rc.1"}


def test_max_versions_as_strings_like_old_check_plugin() -> None:
    # Before CE 2.0.6 check-plugin compared versions as strings: "v1.9.0" > "v1.10.0".
    assert parse(SUM).max_versions(string_compare=True) == {
        "github.com/a/b": "v1.9.0",
        "golang.org/x/sys": "v0.21.0-rc.1",
    }


def test_invalid_version_never_wins_by_semver_but_can_by_string() -> None:
    pairs = [("m", "v1.0.0"), ("m", "zzz"), ("n", "junk")]
    assert fold_max_versions(pairs) == {"m": "v1.0.0"}
    assert fold_max_versions(pairs, string_compare=True) == {"m": "zzz", "n": "junk"}


def test_incompatible_suffix_ties_and_first_seen_stays() -> None:
    pairs = [("m", "v2.0.0+incompatible"), ("m", "v2.0.0")]
    assert fold_max_versions(pairs) == {"m": "v2.0.0+incompatible"}


def test_lookup_helpers_prefer_the_code_line() -> None:
    gosum = parse(SUM)
    entry = gosum.entry_for("github.com/a/b", "v1.9.0")
    assert entry is not None and not entry.is_gomod and entry.location.line == 1
    graph_only = gosum.entry_for("github.com/a/b", "v1.10.0")
    assert graph_only is not None and graph_only.is_gomod
    assert gosum.entry_for("github.com/a/b", "v9.9.9") is None


@pytest.mark.parametrize(
    ("line", "column"),
    [("github.com/a/b v1.0.0", 1), ("  github.com/a/b v1.0.0 h1:x= extra", 3), ("lonely", 1)],
)
def test_malformed_line_is_a_problem_and_the_rest_is_read(line: str, column: int) -> None:
    data = f"a.example/x v1.0.0 h1:x=\n{line}\na.example/y v1.0.0 h1:y=\n".encode()
    gosum = parse(data)
    assert [(p.location.line, p.location.column) for p in gosum.problems] == [(2, column)]
    assert [e.module for e in gosum.entries] == ["a.example/x", "a.example/y"]


def test_raw_lines_are_kept_as_a_line_scanner_yields_them() -> None:
    gosum = parse(b"a v1 h1:x=\r\n\r\nb v2 h1:y=\r\n")
    assert gosum.lines == ("a v1 h1:x=", "", "b v2 h1:y=")
    assert parse(b"").lines == ()
    assert parse(b"a v1 h1:x=").lines == ("a v1 h1:x=",)


def test_gomod_suffix_needs_something_before_it() -> None:
    assert strip_gomod_suffix("v1.0.0/go.mod") == "v1.0.0"
    assert strip_gomod_suffix("/go.mod") == "/go.mod"
    assert strip_gomod_suffix("v1.0.0") == "v1.0.0"


def test_binary_or_bad_utf8_input_does_not_raise() -> None:
    assert parse(b"a v1 h1:x=\n\0").entries == ()
    bad = parse(b"a\xff v1.0.0 h1:x=\n")
    assert [p.location.line for p in bad.problems] == [1]
    assert len(bad.entries) == 1


def test_every_krakend_gosum_parses_cleanly() -> None:
    files = sorted(SHARED.glob("krakend/v*/go.sum"))
    if not files:
        pytest.skip(f"no KrakenD go.sum files under {SHARED}")
    for file in files:
        gosum = parse_gosum(file.read_bytes(), "go.sum")
        assert gosum.problems == (), file
        assert gosum.max_versions()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n()[],=>/\"\\`'\\vV.01-+#abcrequiremodule;:")), max_size=200))
def test_any_text_parses_without_raising(text: str) -> None:
    doc = parse_gosum(text.encode(), "x")
    for problem in doc.problems:
        assert problem.location.path == "x" and problem.location.line >= 1
