"""benchmarks.replay on real cases: the per-case verdicts, the totals and the misses it prints."""

from __future__ import annotations

import pytest

from benchmarks.replay import cut, main


def test_table_shows_verdicts_totals_and_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "krakend-ce-834", "krakend-ce-265"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("krakend-ce-")}
    assert rows == {"krakend-ce-265": ["yes", "no"], "krakend-ce-834": ["yes", "yes"]}
    assert "KP609 plugins/wildcard/go.mod:1 error:" in out
    assert "caught with the right cause: 1/2 (50.0%); of the catchable ones 1/1 (100.0%)" in out
    assert "krakend-ce-265: not catchable: the plugin repository is right" in out
    assert "fixed twins with no error or warning: 2/2" in out


def test_unknown_case_is_a_usage_error() -> None:
    with pytest.raises(SystemExit, match="unknown case"):
        main(["--only", "krakend-ce-0"])


def test_cut_keeps_short_text_and_marks_long_text() -> None:
    assert cut("a  b\nc", 10) == "a b c"
    assert cut("abcdefghij", 5) == "abcd…"
