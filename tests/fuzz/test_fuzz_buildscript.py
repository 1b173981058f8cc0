"""Mutated inputs for `linter.inputs.buildscript`: no exception, sound locations, same result twice."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("makefile"))
def test_makefile_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["makefile"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("build_sh"))
def test_build_sh_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["build_sh"]
    check(target, require(target), data)


@FUZZ_SETTINGS
@given(mutated("go_version_file"))
def test_go_version_file_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["go_version_file"]
    check(target, require(target), data)


def _expansion_bomb(width: int, depth: int) -> bytes:
    """`A1 = $(A0)$(A0)...`: each level multiplies the expanded text by ``width``."""
    lines = [b"A0 = xxxxxxxxxx"]
    lines += [b"A%d = %s" % (level, b"$(A%d)" % (level - 1) * width) for level in range(1, depth + 1)]
    lines += [b"plugin:", b"\tgo build -o $(A%d) ." % depth]
    return b"\n".join(lines) + b"\n"


def test_makefile_expansion_bomb_is_bounded() -> None:
    # Unbounded, this 300-byte Makefile expands to 170 MB (a 1 KB one exhausted 20 GB of memory).
    target = TARGETS["makefile"]
    script = check(target, require(target), _expansion_bomb(width=8, depth=8))
    recipe_text = sum(len(word.text) for s in script.scripts for c in s.commands for word in c.words)
    assert recipe_text < 4 * 1024 * 1024
    assert [(p.kind, p.location.line) for p in script.problems] == [("unparsable", 11)]
