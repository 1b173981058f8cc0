"""Mutated inputs for `linter.inputs.modules_txt`: no exception, sound locations, same result twice."""

from __future__ import annotations

from hypothesis import given

from tests.fuzz.harness import FUZZ_SETTINGS, TARGETS, check, mutated, require


@FUZZ_SETTINGS
@given(mutated("modules_txt"))
def test_modules_txt_survives_mutated_input(data: bytes) -> None:
    target = TARGETS["modules_txt"]
    check(target, require(target), data)
