"""Mutated inputs for `linter.inputs.gosum`: no exception, sound locations, same result twice."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("gosum"))
def test_gosum_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["gosum"]
    check(target, require(target), data)
