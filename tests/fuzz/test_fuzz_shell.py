"""Mutated inputs for `linter.inputs.shell`: no exception, sound locations, same result twice."""

from __future__ import annotations

import time

import pytest
from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("shell"))
def test_shell_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["shell"]
    check(target, require(target), data)


def test_source_map_lookups_do_not_rescan_the_anchors() -> None:
    # Each lookup used to rebuild the list of anchor offsets: a script of n lines took O(n^2) and a
    # 400 KB script 76 s (a 16 MiB one would take days).
    from linter.inputs.shell import SourceMap

    text = "a\n" * 200_000
    source = SourceMap.of_text("scripts/run.sh", text)
    started = time.perf_counter()
    positions = [source.position(offset) for offset in range(0, len(text), 200)]
    assert time.perf_counter() - started < 2.0
    assert positions[:2] == [(1, 1), (101, 1)]


def test_line_by_line_fallback_hands_the_parser_linear_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # When the whole script does not parse it is parsed a line at a time; each line used to be
    # padded with the blanks of every line before it, so the parser read O(n^2) characters.
    from linter.inputs.shell import SourceMap, syntax
    from linter.inputs.shell.syntax import split_commands

    real_parse = syntax._parse
    handed: list[int] = []

    def counting(data: bytes) -> object:
        handed.append(len(data))
        return real_parse(data)

    monkeypatch.setattr(syntax, "_parse", counting)
    text = "echo ((\n" + "go build -buildmode=plugin -o p.so .\n" * 2_000
    commands, exact = split_commands(text, SourceMap.of_text("scripts/run.sh", text))
    assert not exact and len(commands) >= 2_000
    assert sum(handed) < 3 * len(text)
    last = commands[-1].words[0].location
    assert (last.path, last.line, last.column) == ("scripts/run.sh", 2_001, 1)


def test_unterminated_parameter_expansion_ends() -> None:
    # bashlex looped forever on an unterminated `${` inside a word and needed a patched guard;
    # tree-sitter always ends, and the word keeps its text.
    from linter.inputs.shell import SourceMap
    from linter.inputs.shell.syntax import split_commands

    for text in ("x'${'", "echo ${", "go build -o ${OUT", 'echo "${x'):
        commands, _exact = split_commands(text, SourceMap.of_text("scripts/run.sh", text))
        assert commands and commands[0].words[0].location.line == 1


def test_shifted_maps_are_cheap_and_agree_with_their_parent() -> None:
    # Every `sh -c` string and every line of the line-by-line fallback gets a shifted map; copying
    # the anchors for each made a script of n such lines O(n^2).
    from linter.inputs.shell import SourceMap

    text = "sh -c 'go build'\n" * 100_000
    source = SourceMap.of_text("scripts/run.sh", text, line=3, column=5, indent=2)
    started = time.perf_counter()
    shifted = [source.shifted(offset) for offset in range(0, len(text), 85)]
    assert time.perf_counter() - started < 2.0
    for offset, inner in zip(range(0, len(text), 85 * 997), shifted[::997], strict=True):
        for step in (0, 1, 7, 17, 40):
            assert inner.position(step) == source.position(offset + step)
            assert inner.shifted(step).position(3) == source.position(offset + step + 3)
