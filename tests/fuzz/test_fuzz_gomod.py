"""Mutated inputs for `linter.inputs.gomod`: no exception, sound locations, same result twice."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("gomod"))
def test_gomod_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gomod"]
    check(target, require(target), data)
